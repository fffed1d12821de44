import { useRef, useState } from "react";

import { Button } from "../../../components/Button";
import { ConfirmDialog } from "../../../components/ConfirmDialog";
import { SelectField } from "../../../components/Field";
import { Alert } from "../../../components/Layout";
import { useToast } from "../../../components/Toast";
import { useI18n } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import { fetchScriptYaml, useCopyScript, useImportScript } from "../api";
import type { SegmentOption } from "./PromptDialog";

type Pending = { kind: "import"; name: string; text: string } | { kind: "copy"; name: string; spaceId: string };

function download(text: string, fileName: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/yaml" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

/** Export the script as YAML, import a document, or copy another space's script (after a confirmation). */
export function ScriptDocumentPanel({
  spaceId,
  spaceTitle,
  otherSpaces,
  editable,
}: {
  spaceId: string;
  spaceTitle: string;
  otherSpaces: readonly SegmentOption[];
  editable: boolean;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const importScript = useImportScript(spaceId);
  const copyScript = useCopyScript(spaceId);
  const [exportError, setExportError] = useState<unknown>(null);
  const [exporting, setExporting] = useState(false);
  const [from, setFrom] = useState("");
  const [pending, setPending] = useState<Pending | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const error = importScript.error ?? copyScript.error;

  async function onExport() {
    setExporting(true);
    setExportError(null);
    try {
      const yaml = await fetchScriptYaml(spaceId);
      const slug =
        spaceTitle
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, "-")
          .replace(/^-|-$/g, "") || "script";
      download(yaml, `${slug}-script.yaml`);
      toast.show(t("document.exported"));
    } catch (err) {
      setExportError(err);
    } finally {
      setExporting(false);
    }
  }

  function confirm() {
    if (!pending) return;
    const reset = () => {
      setPending(null);
      if (fileRef.current) fileRef.current.value = "";
    };
    if (pending.kind === "import") {
      copyScript.reset();
      importScript.mutate(pending.text, {
        onSuccess: (doc) => toast.show(t("document.imported", { count: doc.prompts?.length ?? 0 })),
        onSettled: reset,
      });
    } else {
      importScript.reset();
      copyScript.mutate(pending.spaceId, {
        onSuccess: (doc) => toast.show(t("document.copied", { count: doc.prompts?.length ?? 0 })),
        onSettled: reset,
      });
    }
  }

  return (
    <section className="card stack" aria-labelledby="document-heading">
      <h2 id="document-heading">{t("document.heading")}</h2>
      <p className="muted">{t("document.intro")}</p>
      {exportError !== null && <Alert>{problemMessage(exportError, t)}</Alert>}
      {error && <Alert>{problemMessage(error, t)}</Alert>}
      <div>
        <Button variant="secondary" disabled={exporting} onClick={() => void onExport()}>
          {t("document.export")}
        </Button>
      </div>
      {editable && (
        <>
          <div className="field">
            <label htmlFor="script-import" className="field__label">
              {t("document.import")}
            </label>
            <input
              ref={fileRef}
              id="script-import"
              type="file"
              className="field__control"
              accept=".yaml,.yml,.json,application/yaml,application/json,text/yaml"
              aria-describedby="script-import-hint"
              disabled={importScript.isPending}
              onChange={async (e) => {
                const file = e.target.files?.[0];
                if (file) setPending({ kind: "import", name: file.name, text: await file.text() });
              }}
            />
            <p id="script-import-hint" className="field__hint">
              {t("document.import_hint")}
            </p>
          </div>
          {otherSpaces.length > 0 && (
            <form
              className="filters"
              onSubmit={(e) => {
                e.preventDefault();
                const space = otherSpaces.find((s) => s.value === from);
                if (space) setPending({ kind: "copy", name: space.label, spaceId: space.value });
              }}
            >
              <SelectField label={t("document.copy_from")} value={from} onChange={(e) => setFrom(e.target.value)}>
                <option value="">{t("document.choose_space")}</option>
                {otherSpaces.map((s) => (
                  <option key={s.value} value={s.value}>
                    {s.label}
                  </option>
                ))}
              </SelectField>
              <Button type="submit" variant="secondary" disabled={!from || copyScript.isPending}>
                {t("document.copy")}
              </Button>
            </form>
          )}
        </>
      )}
      <ConfirmDialog
        open={pending !== null}
        title={t("document.confirm_title")}
        confirmLabel={t("document.confirm_replace")}
        cancelLabel={t("common.cancel")}
        closeLabel={t("common.close")}
        pending={importScript.isPending || copyScript.isPending}
        onClose={() => {
          setPending(null);
          if (fileRef.current) fileRef.current.value = "";
        }}
        onConfirm={confirm}
      >
        <p>{pending && t("document.confirm_import", { name: pending.name })}</p>
      </ConfirmDialog>
    </section>
  );
}
