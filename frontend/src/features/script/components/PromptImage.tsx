import { useId, useState, type ChangeEvent } from "react";

import { Button } from "../../../components/Button";
import { useToast } from "../../../components/Toast";
import { useI18n } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import {
  PROMPT_IMAGE_MAX_BYTES,
  PROMPT_IMAGE_TYPES,
  useRemovePromptImage,
  useUploadPromptImage,
  type Prompt,
} from "../api";

/** Upload (PNG, JPEG, WebP, GIF ≤ 4 MiB) or remove the image shown above a saved prompt's question. */
export function PromptImage({ spaceId, prompt }: { spaceId: string; prompt: Prompt }) {
  const { t } = useI18n();
  const toast = useToast();
  const id = useId();
  const upload = useUploadPromptImage(spaceId, prompt.id);
  const remove = useRemovePromptImage(spaceId, prompt.id);
  // The dialog keeps the prompt it opened with; follow the image from each answer.
  const [imageUrl, setImageUrl] = useState(prompt.image_url);
  const [localError, setLocalError] = useState<string | null>(null);
  const error =
    localError ??
    (upload.isError ? problemMessage(upload.error, t) : remove.isError ? problemMessage(remove.error, t) : null);
  const busy = upload.isPending || remove.isPending;

  function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = "";
    setLocalError(null);
    upload.reset();
    remove.reset();
    if (!file) return;
    if (!(PROMPT_IMAGE_TYPES as readonly string[]).includes(file.type))
      return setLocalError(t("problem.file_invalid_image"));
    if (file.size > PROMPT_IMAGE_MAX_BYTES) return setLocalError(t("prompt.image_too_large"));
    upload.mutate(file, {
      onSuccess: (saved) => {
        setImageUrl(saved.image_url);
        toast.show(t("prompt.image_saved"));
      },
    });
  }

  function onRemove() {
    setLocalError(null);
    upload.reset();
    remove.mutate(undefined, {
      onSuccess: (saved) => {
        setImageUrl(saved.image_url);
        toast.show(t("prompt.image_removed"));
      },
    });
  }

  return (
    <div className={["field", "stack", "stack--sm", error ? "field--invalid" : ""].filter(Boolean).join(" ")}>
      <label htmlFor={id} className="field__label">
        {t("prompt.image")}
      </label>
      {imageUrl ? (
        <img className="prompt-image-thumb" src={imageUrl} alt={t("prompt.image_alt", { title: prompt.title })} />
      ) : (
        <p className="muted">{t("prompt.image_none")}</p>
      )}
      <input
        id={id}
        type="file"
        className="field__file"
        accept={PROMPT_IMAGE_TYPES.join(",")}
        disabled={busy}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
        aria-invalid={error ? true : undefined}
        onChange={onFile}
      />
      <p id={`${id}-hint`} className="field__hint">
        {t("prompt.image_hint")}
      </p>
      {upload.isPending && (
        <p className="muted" role="status">
          {t("prompt.image_uploading")}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field__error" role="alert">
          {error}
        </p>
      )}
      {imageUrl && (
        <div className="actions actions--start">
          <Button variant="ghost" size="sm" disabled={busy} onClick={onRemove}>
            {t("prompt.image_remove")}
          </Button>
        </div>
      )}
    </div>
  );
}
