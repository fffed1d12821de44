import { Link } from "@tanstack/react-router";
import { useId } from "react";

import { formatDateTime } from "../../../lib/format";
import { useI18n } from "../../../lib/i18n";
import { useMyOpenProbes } from "../api";

/**
 * The top of a participant's space: the brand's questions to them that still wait for an
 * answer, each with a link straight to it (the prompt page opens on `#probe-<id>`). Nothing
 * when there is none; it stays until each is answered.
 */
export function OpenProbes({ spaceId }: { spaceId: string }) {
  const { t, lang } = useI18n();
  const headingId = useId();
  const probes = useMyOpenProbes(spaceId);
  const items = probes.data ?? [];
  if (items.length === 0) return null;
  return (
    <section className="card card--attention stack stack--sm" aria-labelledby={headingId}>
      <h2 id={headingId}>{t("probes.heading")}</h2>
      <ul className="todos">
        {items.map((probe) => (
          <li key={probe.id} className="todo">
            {/* Server-rendered and sanitized Markdown. */}
            <div className="prose strong" dangerouslySetInnerHTML={{ __html: probe.text_html }} />
            <Link
              to="/me/spaces/$spaceId/prompts/$promptId"
              params={{ spaceId, promptId: probe.prompt_id }}
              hash={`probe-${probe.id}`}
              className="todo__title"
            >
              {t("probes.answer_link", { title: probe.prompt_title })}
            </Link>
            <span className="muted todo__meta">
              {[
                probe.visibility === "private" ? t("probe.private_note") : t("probe.public_note"),
                t("probe.asked_at", { date: formatDateTime(probe.created_at, lang) }),
              ].join(" · ")}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
