import { useState, type FormEvent } from "react";

import { Button } from "../../../components/Button";
import { Dialog } from "../../../components/Dialog";
import { CheckboxGroup, TextAreaField, TextField } from "../../../components/Field";
import { Alert } from "../../../components/Layout";
import { useToast } from "../../../components/Toast";
import { useI18n } from "../../../lib/i18n";
import { fieldErrors, problemMessage } from "../../../lib/problem";
import { useInviteParticipant } from "../api";

export type SegmentOption = { value: string; label: string };

export function InviteDialog({
  spaceId,
  segments,
  open,
  onClose,
}: {
  spaceId: string;
  segments: readonly SegmentOption[];
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const invite = useInviteParticipant(spaceId);
  const [email, setEmail] = useState("");
  const [segmentIds, setSegmentIds] = useState<string[]>([]);
  const [displayName, setDisplayName] = useState("");
  const [message, setMessage] = useState("");
  const errors = fieldErrors(invite.error);

  function close() {
    invite.reset();
    setEmail("");
    setSegmentIds([]);
    setDisplayName("");
    setMessage("");
    onClose();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    invite.mutate(
      {
        email: email.trim(),
        segment_ids: segmentIds,
        display_name: displayName.trim() || null,
        message: message.trim() || null,
      },
      {
        onSuccess: (invitation) => {
          toast.show(t("invitations.sent_to", { email: invitation.email }));
          close();
        },
      },
    );
  }

  return (
    <Dialog open={open} title={t("invitations.invite_title")} onClose={close} closeLabel={t("common.close")}>
      <form className="stack" onSubmit={onSubmit}>
        {invite.isError && <Alert>{problemMessage(invite.error, t)}</Alert>}
        <TextField
          label={t("invitations.email")}
          type="email"
          required
          autoComplete="off"
          maxLength={320}
          value={email}
          error={errors.email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <CheckboxGroup
          legend={t("invitations.segments")}
          options={segments}
          value={segmentIds}
          onChange={setSegmentIds}
          empty={t("segments.empty")}
        />
        <TextField
          label={t("invitations.display_name")}
          hint={t("invitations.display_name_hint")}
          autoComplete="off"
          maxLength={120}
          value={displayName}
          error={errors.display_name}
          onChange={(e) => setDisplayName(e.target.value)}
        />
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
