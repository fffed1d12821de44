import { useId, useState } from "react";

import { Button } from "../../../components/Button";
import { ConfirmDialog } from "../../../components/ConfirmDialog";
import { Alert, Spinner } from "../../../components/Layout";
import { useToast } from "../../../components/Toast";
import { useI18n } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import { useNudge, useWaiting } from "../api";
import type { ConsolePrompt } from "../model";

const SHOWN = 12;

function PromptWaiting({ prompt, canNudge }: { prompt: ConsolePrompt; canNudge: boolean }) {
  const { t } = useI18n();
  const toast = useToast();
  const waiting = useWaiting(prompt.id);
  const nudge = useNudge(prompt.id);
  const people = waiting.data ?? [];
  const rest = people.length - SHOWN;
  // A nudge e-mails people: say how many first, and send only once confirmed.
  const [confirming, setConfirming] = useState(false);

  const send = () =>
    nudge.mutate(undefined, {
      onSuccess: ({ reminded }) =>
        toast.show(reminded === 0 ? t("console.nudge_none") : t("console.nudge_sent", { count: reminded })),
      onError: (error) => toast.show(problemMessage(error, t), "error"),
      onSettled: () => setConfirming(false),
    });

  return (
    <li className="missing stack stack--sm">
      <h4 className="missing__title">{prompt.title}</h4>
      {waiting.error ? (
        <Alert>{problemMessage(waiting.error, t)}</Alert>
      ) : waiting.isPending ? (
        <Spinner label={t("app.loading")} />
      ) : (
        <>
          <p className="muted">
            {people.length === 0 ? t("console.waiting_none") : t("console.waiting_count", { count: people.length })}
          </p>
          {people.length > 0 && (
            <p className="break">
              {people
                .slice(0, SHOWN)
                .map((p) => p.pseudonym)
                .join(", ")}
              {rest > 0 && ` ${t("console.missing_more", { count: rest })}`}
            </p>
          )}
        </>
      )}
      <div className="actions actions--start">
        <Button
          variant="secondary"
          size="sm"
          aria-label={t("console.nudge_label", { prompt: prompt.title })}
          disabled={!canNudge || people.length === 0 || nudge.isPending}
          onClick={() => setConfirming(true)}
        >
          {t("console.nudge")}
        </Button>
      </div>
      <ConfirmDialog
        open={confirming}
        title={t("console.nudge_confirm_title", { count: people.length })}
        confirmLabel={t("console.nudge_confirm")}
        cancelLabel={t("common.cancel")}
        closeLabel={t("common.close")}
        pending={nudge.isPending}
        danger={false}
        onClose={() => setConfirming(false)}
        onConfirm={send}
      >
        <p>{t("console.nudge_confirm_body", { prompt: prompt.title })}</p>
      </ConfirmDialog>
    </li>
  );
}

/** For each open prompt, the participants it is open to who have not answered yet, and a nudge. */
export function NotAnsweredPanel({ prompts, canNudge }: { prompts: readonly ConsolePrompt[]; canNudge: boolean }) {
  const { t } = useI18n();
  const headingId = useId();
  return (
    <section className="card stack stack--sm" aria-labelledby={headingId}>
      <h3 id={headingId}>{t("console.missing_heading")}</h3>
      {prompts.length === 0 ? (
        <p className="muted">{t("console.no_open_prompt")}</p>
      ) : (
        <ul className="missing-list">
          {prompts.map((prompt) => (
            <PromptWaiting key={prompt.id} prompt={prompt} canNudge={canNudge} />
          ))}
        </ul>
      )}
    </section>
  );
}
