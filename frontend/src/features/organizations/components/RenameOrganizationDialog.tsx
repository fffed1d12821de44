import { useState, type FormEvent } from "react";

import { Button } from "../../../components/Button";
import { Dialog } from "../../../components/Dialog";
import { TextField } from "../../../components/Field";
import { Alert } from "../../../components/Layout";
import { useToast } from "../../../components/Toast";
import { useI18n } from "../../../lib/i18n";
import { fieldErrors, problemMessage } from "../../../lib/problem";
import { useRenameOrganization, type Organization } from "../api";

export function RenameOrganizationDialog({
  organization,
  open,
  onClose,
}: {
  organization: Organization;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const rename = useRenameOrganization(organization.id);
  const [name, setName] = useState(organization.name);
  const errors = fieldErrors(rename.error);

  function close() {
    rename.reset();
    onClose();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    rename.mutate(
      { name: name.trim() },
      {
        onSuccess: () => {
          toast.show(t("organization.renamed"));
          close();
        },
      },
    );
  }

  return (
    <Dialog open={open} title={t("organization.rename_title")} onClose={close} closeLabel={t("common.close")}>
      <form className="stack" onSubmit={onSubmit}>
        {rename.isError && <Alert>{problemMessage(rename.error, t)}</Alert>}
        <TextField
          label={t("organization.name")}
          required
          maxLength={200}
          value={name}
          error={errors.name}
          onChange={(event) => setName(event.target.value)}
        />
        <div className="actions">
          <Button variant="secondary" onClick={close}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" disabled={rename.isPending}>
            {t("common.save")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
