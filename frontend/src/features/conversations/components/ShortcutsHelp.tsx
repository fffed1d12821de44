import { useId } from "react";

import { useI18n, type MessageKey } from "../../../lib/i18n";

const SHORTCUTS: readonly [string, MessageKey][] = [
  ["r", "shortcuts.reply"],
  ["p", "shortcuts.probe_public"],
  ["P", "shortcuts.probe_private"],
  ["n", "shortcuts.note"],
  ["1 – 4", "shortcuts.react"],
  ["j / k", "shortcuts.move"],
  ["Ctrl / ⌘ + Enter", "shortcuts.send"],
];

/** The console's keyboard shortcuts, always documented on screen. */
export function ShortcutsHelp({ canAct }: { canAct: boolean }) {
  const { t } = useI18n();
  const headingId = useId();
  const shown = canAct
    ? SHORTCUTS
    : SHORTCUTS.filter(([, label]) => ["shortcuts.note", "shortcuts.move", "shortcuts.send"].includes(label));
  return (
    <section className="card stack stack--sm" aria-labelledby={headingId}>
      <h3 id={headingId}>{t("shortcuts.heading")}</h3>
      <p className="muted">{t("shortcuts.intro")}</p>
      <dl className="shortcuts">
        {shown.map(([key, label]) => (
          <div key={key} className="shortcuts__row">
            <dt>
              <kbd className="kbd">{key}</kbd>
            </dt>
            <dd>{t(label)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
