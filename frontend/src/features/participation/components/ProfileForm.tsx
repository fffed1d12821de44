import { useState, type FormEvent } from "react";

import { Button } from "../../../components/Button";
import { ConfirmDialog } from "../../../components/ConfirmDialog";
import { TextField } from "../../../components/Field";
import { Alert } from "../../../components/Layout";
import { useToast } from "../../../components/Toast";
import { useI18n, type MessageKey } from "../../../lib/i18n";
import { fieldErrors, problemMessage } from "../../../lib/problem";
import { EMAIL_PREFERENCES, useLeaveSpace, useUpdateMySpace, type EmailPreference, type MySpace } from "../api";

const PREFERENCE: Record<EmailPreference, MessageKey> = {
  immediate: "profile.notify_immediate",
  digest: "profile.notify_digest",
  off: "profile.notify_off",
};

/** A participant's pseudonym and e-mail preference in one space, and leaving it. */
export function ProfileForm({ space, onLeft }: { space: MySpace; onLeft: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const update = useUpdateMySpace(space.space_id);
  const leave = useLeaveSpace(space.space_id);
  const [pseudonym, setPseudonym] = useState(space.pseudonym);
  const [preference, setPreference] = useState<EmailPreference>(space.email_notifications);
  const [confirming, setConfirming] = useState(false);
  const [localError, setLocalError] = useState<string | undefined>();
  const errors = fieldErrors(update.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = pseudonym.trim();
    const length = [...trimmed].length;
    if (length < 2 || length > 40) return setLocalError(t("join.pseudonym_length"));
    setLocalError(undefined);
    update.mutate(
      { ...(trimmed !== space.pseudonym ? { pseudonym: trimmed } : {}), email_notifications: preference },
      { onSuccess: () => toast.show(t("profile.saved")) },
    );
  }

  return (
    <div className="stack stack--lg">
      <form className="card stack" onSubmit={onSubmit} noValidate aria-labelledby="profile-heading">
        <h2 id="profile-heading">{t("profile.heading")}</h2>
        {update.isError && <Alert>{problemMessage(update.error, t)}</Alert>}
        <TextField
          label={t("join.pseudonym")}
          hint={t("join.pseudonym_hint")}
          required
          maxLength={40}
          autoComplete="nickname"
          value={pseudonym}
          error={localError ?? errors.pseudonym}
          onChange={(e) => setPseudonym(e.target.value)}
        />
        <fieldset className="fieldset">
          <legend className="field__label">{t("profile.notifications")}</legend>
          {EMAIL_PREFERENCES.map((value) => (
            <div key={value} className="checkbox">
              <input
                id={`pref-${value}`}
                type="radio"
                name="email_notifications"
                className="checkbox__control"
                value={value}
                checked={preference === value}
                onChange={() => setPreference(value)}
              />
              <label htmlFor={`pref-${value}`} className="checkbox__label">
                {t(PREFERENCE[value])}
              </label>
            </div>
          ))}
        </fieldset>
        <div className="actions actions--start">
          <Button type="submit" disabled={update.isPending}>
            {t("common.save")}
          </Button>
        </div>
      </form>
      <section className="card stack" aria-labelledby="leave-heading">
        <h2 id="leave-heading">{t("profile.leave_heading")}</h2>
        <p>{t("profile.leave_body")}</p>
        {leave.isError && <Alert>{problemMessage(leave.error, t)}</Alert>}
        <div className="actions actions--start">
          <Button variant="danger" onClick={() => setConfirming(true)}>
            {t("profile.leave")}
          </Button>
        </div>
      </section>
      <ConfirmDialog
        open={confirming}
        title={t("profile.leave_title", { title: space.title })}
        confirmLabel={t("profile.leave")}
        cancelLabel={t("common.cancel")}
        closeLabel={t("common.close")}
        pending={leave.isPending}
        onClose={() => setConfirming(false)}
        onConfirm={() =>
          leave.mutate(undefined, {
            onSuccess: () => {
              setConfirming(false);
              toast.show(t("profile.left", { title: space.title }));
              onLeft();
            },
            onError: () => setConfirming(false),
          })
        }
      >
        <p>{t("profile.leave_confirm", { title: space.title })}</p>
      </ConfirmDialog>
    </div>
  );
}
