import { useId } from "react";

import { Button } from "../../../components/Button";
import { useI18n } from "../../../lib/i18n";
import type { Answer } from "../api";
import { expectedParticipants, notAnswered, type ConsoleParticipant, type ConsolePrompt } from "../model";

const SHOWN = 12;

function PromptMissing({
  prompt,
  participants,
  answersByPrompt,
  truncated,
}: {
  prompt: ConsolePrompt;
  participants: readonly ConsoleParticipant[];
  answersByPrompt: ReadonlyMap<string, readonly Answer[]>;
  truncated: boolean;
}) {
  const { t } = useI18n();
  const soonId = useId();
  const expected = expectedParticipants(prompt, participants, answersByPrompt);
  const missing = notAnswered(expected, answersByPrompt.get(prompt.id) ?? []);
  const rest = missing.length - SHOWN;
  return (
    <li className="missing stack stack--sm">
      <h4 className="missing__title">{prompt.title}</h4>
      <p className="muted">{t("console.missing_count", { count: missing.length, expected: expected.length })}</p>
      {missing.length > 0 && (
        <p className="break">
          {missing
            .slice(0, SHOWN)
            .map((p) => p.pseudonym)
            .join(", ")}
          {rest > 0 && ` ${t("console.missing_more", { count: rest })}`}
        </p>
      )}
      {truncated && <p className="muted">{t("console.missing_truncated")}</p>}
      {missing.length > 0 && (
        <div className="actions actions--start">
          <Button variant="secondary" size="sm" disabled aria-describedby={soonId} title={t("console.coming_soon")}>
            {t("console.nudge")}
          </Button>
          <span id={soonId} className="muted">
            {t("console.coming_soon")}
          </span>
        </div>
      )}
    </li>
  );
}

/** For each open prompt, the participants it is meant for who have not answered yet. */
export function NotAnsweredPanel({
  prompts,
  participants,
  answersByPrompt,
  truncated,
}: {
  prompts: readonly ConsolePrompt[];
  participants: readonly ConsoleParticipant[];
  answersByPrompt: ReadonlyMap<string, readonly Answer[]>;
  truncated: ReadonlySet<string>;
}) {
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
            <PromptMissing
              key={prompt.id}
              prompt={prompt}
              participants={participants}
              answersByPrompt={answersByPrompt}
              truncated={truncated.has(prompt.id)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
