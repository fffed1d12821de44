import { Button } from "../../../components/Button";
import { Dialog } from "../../../components/Dialog";
import { useToast } from "../../../components/Toast";
import { useI18n } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import { useRemoveMember, type Member, type Organization } from "../api";

export function RemoveMemberDialog({
  organization,
  member,
  onClose,
}: {
  organization: Organization;
  member: Member | null;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const remove = useRemoveMember(organization.id);

  function onConfirm() {
    if (!member) return;
    remove.mutate(member.user_id, {
      onSuccess: () => toast.show(t("members.removed", { name: member.display_name })),
      onError: (error) => toast.show(problemMessage(error, t), "error"),
      onSettled: onClose,
    });
  }

  return (
    <Dialog open={member !== null} title={t("members.remove_title")} onClose={onClose} closeLabel={t("common.close")}>
      <p>{member && t("members.remove_confirm", { name: member.display_name, organization: organization.name })}</p>
      <div className="actions">
        <Button variant="secondary" onClick={onClose} data-autofocus>
          {t("common.cancel")}
        </Button>
        <Button variant="danger" onClick={onConfirm} disabled={remove.isPending}>
          {t("members.remove")}
        </Button>
      </div>
    </Dialog>
  );
}
