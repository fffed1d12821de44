import { useState, type FormEvent } from "react";

import { Button } from "../../../components/Button";
import { Dialog } from "../../../components/Dialog";
import { SelectField, TextField } from "../../../components/Field";
import { Alert } from "../../../components/Layout";
import { useToast } from "../../../components/Toast";
import { useI18n } from "../../../lib/i18n";
import { fieldErrors, problemMessage } from "../../../lib/problem";
import { ROLES, useAddMember, type Role } from "../api";
import { roleLabel } from "./roles";

export function AddMemberDialog({ orgId, open, onClose }: { orgId: string; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const add = useAddMember(orgId);
  const [email, setEmail] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [role, setRole] = useState<Role>("animator");
  const errors = fieldErrors(add.error);

  function close() {
    add.reset();
    setEmail("");
    setDisplayName("");
    setRole("animator");
    onClose();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = { email: email.trim(), role, display_name: displayName.trim() || null };
    add.mutate(body, {
      onSuccess: (member) => {
        toast.show(t("members.added", { email: member.email }));
        close();
      },
    });
  }

  return (
    <Dialog open={open} title={t("members.add_title")} onClose={close} closeLabel={t("common.close")}>
      <form className="stack" onSubmit={onSubmit}>
        {add.isError && <Alert>{problemMessage(add.error, t)}</Alert>}
        <TextField
          label={t("members.email")}
          type="email"
          required
          autoComplete="off"
          value={email}
          error={errors.email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <TextField
          label={t("members.display_name")}
          hint={t("members.display_name_hint")}
          autoComplete="off"
          value={displayName}
          error={errors.display_name}
          onChange={(event) => setDisplayName(event.target.value)}
        />
        <SelectField
          label={t("members.role")}
          value={role}
          error={errors.role}
          onChange={(event) => setRole(event.target.value as Role)}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {roleLabel(t, r)}
            </option>
          ))}
        </SelectField>
        <div className="actions">
          <Button variant="secondary" onClick={close}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" disabled={add.isPending}>
            {t("members.add_submit")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
