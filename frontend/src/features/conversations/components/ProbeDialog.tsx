import { useState, type FormEvent } from "react";

import { Button } from "../../../components/Button";
import { Dialog } from "../../../components/Dialog";
import { RadioGroup, SelectField, sendOnModEnter, TextAreaField } from "../../../components/Field";
import { Alert } from "../../../components/Layout";
import { useToast } from "../../../components/Toast";
import { useI18n } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import { useCreateProbe, useCreateProbeTemplate, useProbeTemplates, type Answer, type ProbeVisibility } from "../api";
import { templateTitle } from "../model";
import { TEXT_MAX } from "./TextForm";

/**
 * Asks the author of an answer a follow-up question, public or private. The
 * organization's saved questions can be inserted, and the question saved for reuse.
 * Only owners and animators open it (the console's `canAct`).
 */
export function ProbeDialog({
  answer,
  organizationId,
  initialVisibility,
  onClose,
  onChanged,
}: {
  answer: Answer;
  organizationId: string;
  initialVisibility: ProbeVisibility;
  onClose: () => void;
  onChanged?: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const create = useCreateProbe(answer.id, onChanged);
  const templates = useProbeTemplates(organizationId);
  const saveTemplate = useCreateProbeTemplate(organizationId);
  const [text, setText] = useState("");
  const [templateId, setTemplateId] = useState("");
  const [visibility, setVisibility] = useState<ProbeVisibility>(initialVisibility);
  const name = answer.author_pseudonym;

  function insertTemplate(id: string) {
    setTemplateId(id);
    const template = templates.items.find((item) => item.id === id);
    if (template) setText(template.text);
  }

  function save() {
    const body = { title: templateTitle(text), text: text.trim() };
    if (!body.text || saveTemplate.isPending) return;
    saveTemplate.mutate(body, {
      onSuccess: (saved) => (setTemplateId(saved.id), toast.show(t("probe.template_saved", { title: saved.title }))),
    });
  }

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
        {templates.items.length > 0 && (
          <SelectField
            label={t("probe.templates")}
            hint={t("probe.templates_hint")}
            value={templateId}
            onChange={(e) => insertTemplate(e.target.value)}
          >
            <option value="">{t("probe.templates_choose")}</option>
            {templates.items.map((template) => (
              <option key={template.id} value={template.id}>
                {template.title}
              </option>
            ))}
          </SelectField>
        )}
        {templates.error ? <Alert>{problemMessage(templates.error, t)}</Alert> : null}
        <TextAreaField
          label={t("probe.text")}
          hint={t("probe.text_hint")}
          value={text}
          rows={4}
          maxLength={TEXT_MAX}
          data-autofocus
          onChange={(e) => setText(e.target.value)}
          onKeyDown={sendOnModEnter}
          aria-keyshortcuts="Control+Enter Meta+Enter"
        />
        <div className="actions actions--start">
          <Button variant="secondary" size="sm" disabled={!text.trim() || saveTemplate.isPending} onClick={save}>
            {t("probe.template_save")} <span className="visually-hidden">{t("probe.template_save_context")}</span>
          </Button>
        </div>
        {saveTemplate.error ? <Alert>{problemMessage(saveTemplate.error, t)}</Alert> : null}
        <RadioGroup<ProbeVisibility>
          legend={t("probe.visibility")}
          name="probe-visibility"
          value={visibility}
          onChange={setVisibility}
          options={[
            { value: "public", label: t("probe.visibility.public"), hint: t("probe.visibility.public_hint") },
            {
              value: "private",
              label: t("probe.visibility.private"),
              hint: t("probe.visibility.private_hint", { name }),
            },
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
