import { useId, useState, type FormEvent } from "react";

import { Button } from "../../../components/Button";
import { Alert } from "../../../components/Layout";
import { useToast } from "../../../components/Toast";
import { useI18n } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import type { UploadProgress } from "../../../lib/upload";
import { CSV_MAX_BYTES, useCommitImport, usePreviewImport, type ImportCommitted } from "../api";
import { ImportPreviewTable } from "./ImportPreviewTable";

/** Bulk invitations: choose a CSV → upload with progress → check the preview → send. */
export function CsvImport({ spaceId }: { spaceId: string }) {
  const { t } = useI18n();
  const toast = useToast();
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const [result, setResult] = useState<ImportCommitted | null>(null);
  const preview = usePreviewImport(spaceId);
  const commit = useCommitImport(spaceId);

  function reset() {
    preview.reset();
    commit.reset();
    setResult(null);
    setProgress(null);
    setLocalError(null);
  }

  function onUpload(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    reset();
    if (!file) return setLocalError(t("import.choose_first"));
    if (file.size > CSV_MAX_BYTES) return setLocalError(t("problem.payload_too_large"));
    preview.mutate({ file, onProgress: setProgress });
  }

  function onCommit() {
    if (!preview.data) return;
    commit.mutate(preview.data.id, {
      onSuccess: (committed) => {
        setResult(committed);
        toast.show(t("import.done", { count: committed.created }));
      },
    });
  }

  const percent = progress?.total ? Math.round((progress.loaded / progress.total) * 100) : null;
  const data = preview.data;

  return (
    <section className="stack card" aria-labelledby={`${inputId}-heading`}>
      <h3 id={`${inputId}-heading`}>{t("import.heading")}</h3>
      <p className="muted" id={`${inputId}-format`}>
        {t("import.format")}
      </p>
      <pre className="code-sample" aria-label={t("import.example")}>
        {"email,segments,display_name\nanna@example.com,VIP|Paris,Anna\nbob@example.com;Prospects;"}
      </pre>
      <form className="stack" onSubmit={onUpload}>
        <div className="field">
          <label htmlFor={inputId} className="field__label">
            {t("import.file")}
          </label>
          <input
            id={inputId}
            type="file"
            accept=".csv,text/csv,text/plain"
            className="field__control"
            aria-describedby={`${inputId}-format`}
            onChange={(e) => {
              reset();
              setFile(e.target.files?.[0] ?? null);
            }}
          />
        </div>
        <div className="actions actions--start">
          <Button type="submit" disabled={preview.isPending || commit.isPending}>
            {t("import.upload")}
          </Button>
        </div>
      </form>
      {preview.isPending && (
        <div className="stack stack--sm">
          <label htmlFor={`${inputId}-progress`}>{t("import.uploading")}</label>
          {percent === null ? (
            <progress id={`${inputId}-progress`} />
          ) : (
            <progress id={`${inputId}-progress`} max={100} value={percent}>
              {percent}%
            </progress>
          )}
        </div>
      )}
      {localError && <Alert>{localError}</Alert>}
      {preview.isError && <Alert>{problemMessage(preview.error, t)}</Alert>}
      {data && (
        <div className="stack">
          <p role="status">{t("import.summary", { total: data.total, count: data.valid })}</p>
          <ImportPreviewTable preview={data} />
          {commit.isError && <Alert>{problemMessage(commit.error, t)}</Alert>}
          {result ? (
            <div className="notice" role="status">
              {t("import.result", { created: result.created, skipped: result.skipped })}
            </div>
          ) : (
            <div className="actions actions--start">
              <Button onClick={onCommit} disabled={commit.isPending || data.valid === 0 || data.committed}>
                {t("import.commit", { count: data.valid })}
              </Button>
              {commit.isPending && (
                <>
                  <label htmlFor={`${inputId}-sending`} className="visually-hidden">
                    {t("import.sending")}
                  </label>
                  <progress id={`${inputId}-sending`} />
                  <span aria-hidden="true">{t("import.sending")}</span>
                </>
              )}
            </div>
          )}
        </div>
      )}
    </section>
  );
}
