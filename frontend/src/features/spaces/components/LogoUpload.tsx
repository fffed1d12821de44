import { useRef, useState, type ChangeEvent } from "react";

import { Button } from "../../../components/Button";
import { Alert } from "../../../components/Layout";
import { useToast } from "../../../components/Toast";
import { useI18n } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import { LOGO_MAX_BYTES, LOGO_TYPES, useRemoveLogo, useUploadLogo, type Space } from "../api";

/** Upload (PNG, JPEG, WebP, GIF ≤ 2 MiB) or remove the space's logo. */
export function LogoUpload({ space, readOnly }: { space: Space; readOnly: boolean }) {
  const { t } = useI18n();
  const toast = useToast();
  const upload = useUploadLogo(space.id);
  const remove = useRemoveLogo(space.id);
  const input = useRef<HTMLInputElement>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const error =
    localError ??
    (upload.isError ? problemMessage(upload.error, t) : remove.isError ? problemMessage(remove.error, t) : null);

  function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = "";
    setLocalError(null);
    upload.reset();
    if (!file) return;
    if (!(LOGO_TYPES as readonly string[]).includes(file.type)) return setLocalError(t("problem.file_invalid_image"));
    if (file.size > LOGO_MAX_BYTES) return setLocalError(t("space.logo_too_large"));
    upload.mutate(file, { onSuccess: () => toast.show(t("space.logo_saved")) });
  }

  return (
    <section className="stack" aria-labelledby="logo-heading">
      <h2 id="logo-heading">{t("space.logo")}</h2>
      {space.logo_url ? (
        <img className="logo-thumb" src={space.logo_url} alt={t("space.logo_alt", { title: space.title })} />
      ) : (
        <p className="muted">{t("space.no_logo")}</p>
      )}
      {error && <Alert>{error}</Alert>}
      {!readOnly && (
        <div className="actions actions--start">
          <label className="btn btn--secondary btn--sm file-button">
            {upload.isPending ? t("space.logo_uploading") : t("space.logo_choose")}
            <input
              ref={input}
              type="file"
              className="visually-hidden"
              accept={LOGO_TYPES.join(",")}
              disabled={upload.isPending}
              onChange={onFile}
              aria-describedby="logo-hint"
            />
          </label>
          {space.logo_url && (
            <Button
              variant="ghost"
              size="sm"
              disabled={remove.isPending}
              onClick={() => remove.mutate(undefined, { onSuccess: () => toast.show(t("space.logo_removed")) })}
            >
              {t("space.logo_remove")}
            </Button>
          )}
        </div>
      )}
      <p id="logo-hint" className="field__hint">
        {t("space.logo_hint")}
      </p>
    </section>
  );
}
