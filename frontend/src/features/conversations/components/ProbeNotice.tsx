import { useLocation } from "@tanstack/react-router";
import { useEffect, useId, useRef } from "react";

import { useToast } from "../../../components/Toast";
import { formatDateTime } from "../../../lib/format";
import { useI18n } from "../../../lib/i18n";
import { useAnswerProbe, type Probe } from "../api";
import { TextForm } from "./TextForm";

/** Brings the probe into view and focus when the address points at it (`#probe-<id>`). */
function useFocusWhenTargeted(probeId: string) {
  const ref = useRef<HTMLElement>(null);
  const hash = useLocation({ select: (location) => location.hash.replace(/^#/, "") });
  const targeted = hash === `probe-${probeId}`;
  useEffect(() => {
    const element = ref.current;
    if (!targeted || !element) return;
    element.scrollIntoView?.({ block: "center" });
    element.focus({ preventScroll: true });
  }, [targeted]);
  return ref;
}

/** A probe addressed to me, shown prominently under my answer, with its answer form. */
export function ProbeNotice({
  probe,
  responseId,
  canAnswer,
  onChanged,
}: {
  probe: Probe;
  responseId: string;
  canAnswer: boolean;
  onChanged?: () => void;
}) {
  const { t, lang } = useI18n();
  const toast = useToast();
  const headingId = useId();
  const answer = useAnswerProbe(responseId, onChanged);
  const ref = useFocusWhenTargeted(probe.id);
  return (
    <section
      ref={ref}
      id={`probe-${probe.id}`}
      tabIndex={-1}
      className="probe-notice stack stack--sm"
      aria-labelledby={headingId}
    >
      <h3 id={headingId} className="probe-notice__title">
        {t("probe.asks_you")}
      </h3>
      {/* Server-rendered and sanitized Markdown. */}
      <div className="prose strong" dangerouslySetInnerHTML={{ __html: probe.text_html }} />
      <p className="chips">
        {probe.visibility === "private" ? (
          <span className="chip">{t("probe.private_note")}</span>
        ) : (
          <span className="chip">{t("probe.public_note")}</span>
        )}
        <span className="muted">{t("probe.asked_at", { date: formatDateTime(probe.created_at, lang) })}</span>
      </p>
      {canAnswer && (
        <TextForm
          label={t("probe.answer_field")}
          submitLabel={t("probe.answer_submit")}
          pending={answer.isPending}
          error={answer.error}
          onSubmit={(text) =>
            answer.mutateAsync({ probeId: probe.id, text }).then(() => toast.show(t("probe.answered_toast")))
          }
        />
      )}
    </section>
  );
}
