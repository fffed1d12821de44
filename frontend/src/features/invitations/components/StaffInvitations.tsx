import { useState, type FormEvent } from "react";

import { Button } from "../../../components/Button";
import { Dialog } from "../../../components/Dialog";
import { SelectField, TextAreaField, TextField } from "../../../components/Field";
import { Alert, Spinner } from "../../../components/Layout";
import { useToast } from "../../../components/Toast";
import { useI18n, type MessageKey } from "../../../lib/i18n";
import { fieldErrors, problemMessage } from "../../../lib/problem";
import { useInviteStaff, useStaffInvitations, type Role } from "../api";
import { InvitationTable } from "./InvitationTable";

const ROLES: readonly Role[] = ["owner", "animator", "observer"];
const ROLE_KEYS: Record<Role, MessageKey> = {
  owner: "role.owner",
  animator: "role.animator",
  observer: "role.observer",
};

function InviteStaffDialog({ orgId, open, onClose }: { orgId: string; open: boolean; onClose: () => void }) {
  const { t, lang } = useI18n();
  const toast = useToast();
  const invite = useInviteStaff(orgId);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("animator");
  const [language, setLanguage] = useState<"en" | "fr">(lang);
  const [message, setMessage] = useState("");
  const errors = fieldErrors(invite.error);

  function close() {
    invite.reset();
    setEmail("");
    setMessage("");
    onClose();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    invite.mutate(
      { email: email.trim(), role, language, message: message.trim() || null },
      { onSuccess: (invitation) => (toast.show(t("invitations.sent_to", { email: invitation.email })), close()) },
    );
  }

  return (
    <Dialog open={open} title={t("staff_invitations.invite_title")} onClose={close} closeLabel={t("common.close")}>
      <form className="stack" onSubmit={onSubmit}>
        {invite.isError && <Alert>{problemMessage(invite.error, t)}</Alert>}
        <TextField
          label={t("invitations.email")}
          type="email"
          required
          autoComplete="off"
          value={email}
          error={errors.email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <SelectField
          label={t("members.role")}
          value={role}
          error={errors.role}
          onChange={(e) => setRole(e.target.value as Role)}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(ROLE_KEYS[r])}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t("staff_invitations.language")}
          hint={t("staff_invitations.language_hint")}
          value={language}
          onChange={(e) => setLanguage(e.target.value as "en" | "fr")}
        >
          <option value="en" lang="en">
            English
          </option>
          <option value="fr" lang="fr">
            Français
          </option>
        </SelectField>
        <TextAreaField
          label={t("invitations.message")}
          hint={t("invitations.message_hint")}
          rows={3}
          maxLength={2000}
          value={message}
          error={errors.message}
          onChange={(e) => setMessage(e.target.value)}
        />
        <div className="actions">
          <Button variant="secondary" onClick={close}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" disabled={invite.isPending}>
            {t("invitations.invite_submit")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** Owners: invite team members by e-mail and follow pending invitations. */
export function StaffInvitations({ orgId, organizationName }: { orgId: string; organizationName: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const invitations = useStaffInvitations(orgId, "pending");

  return (
    <section className="stack" aria-labelledby="staff-invitations-heading">
      <div className="page-header">
        <h2 id="staff-invitations-heading">{t("staff_invitations.heading")}</h2>
        <Button onClick={() => setOpen(true)}>{t("staff_invitations.invite")}</Button>
      </div>
      {invitations.isPending ? (
        <Spinner label={t("app.loading")} />
      ) : invitations.isError ? (
        <Alert>{problemMessage(invitations.error, t)}</Alert>
      ) : (
        <>
          <InvitationTable
            caption={t("staff_invitations.caption", { organization: organizationName })}
            rows={invitations.data.pages.flatMap((page) => page.items)}
            editable
            extraColumns={[
              { key: "role", header: t("members.role"), render: (i) => (i.role ? t(ROLE_KEYS[i.role]) : "") },
            ]}
          />
          {invitations.hasNextPage && (
            <Button variant="secondary" size="sm" onClick={() => void invitations.fetchNextPage()}>
              {t("common.show_more")}
            </Button>
          )}
        </>
      )}
      <InviteStaffDialog orgId={orgId} open={open} onClose={() => setOpen(false)} />
    </section>
  );
}
