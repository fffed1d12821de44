import { useState, type FormEvent } from "react";

import { Button } from "../../../components/Button";
import { Dialog } from "../../../components/Dialog";
import { RadioGroup, TextAreaField } from "../../../components/Field";
import { Alert } from "../../../components/Layout";
import { useToast } from "../../../components/Toast";
import { useI18n } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import { useCreateProbe, type Answer, type ProbeVisibility } from "../api";
import { TEXT_MAX } from "./TextForm";

/** Asks the author of an answer a follow-up question, public or private. */
export function ProbeDialog({
  answer,
  initialVisibility,
  onClose,
  onChanged,
}: {
  answer: Answer;
  initialVisibility: ProbeVisibility;
  onClose: () => void;
  onChanged?: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const create = useCreateProbe(answer.id, onChanged);
  const [text, setText] = useState("");
  const [visibility, setVisibility] = useState<ProbeVisibility>(initialVisibility);
  const name = answer.author_pseudonym;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!text.trim() || create.isPending) return;
    create.mutate(
      { text: text.trim(), visibility },
      {
        onSuccess: () => {
          toast.show(t("probe.sent", { name }));
          onClose();
        },
      },
    );
  }

  return (
    <Dialog open title={t("probe.dialog_title", { name })} onClose={onClose} closeLabel={t("common.close")}>
      <form className="stack" onSubmit={submit} noValidate>
        <TextAreaField
          label={t("probe.text")}
          hint={t("probe.text_hint")}
          value={text}
          rows={4}
          maxLength={TEXT_MAX}
          data-autofocus
          onChange={(e) => setText(e.target.value)}
        />
        <RadioGroup<ProbeVisibility>
          legend={t("probe.visibility")}
          name="probe-visibility"
          value={visibility}
          onChange={setVisibility}
          options={[
            { value: "public", label: t("probe.visibility.public"), hint: t("probe.visibility.public_hint") },
            { value: "private", label: t("probe.visibility.private"), hint: t("probe.visibility.private_hint", { name }) },
          ]}
        />
        {create.error ? <Alert>{problemMessage(create.error, t)}</Alert> : null}
        <div className="dialog__footer">
          <Button variant="secondary" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" disabled={!text.trim() || create.isPending}>
            {t("probe.submit")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
