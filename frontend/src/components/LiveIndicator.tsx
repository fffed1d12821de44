import { useI18n } from "../lib/i18n";
import { useLiveStatus } from "../lib/live";

/**
 * A discreet word on freshness: "Live" while the event stream is open; otherwise
 * that it reconnects, followed by `polling` (how often the page refreshes meanwhile).
 */
export function LiveIndicator({ polling }: { polling: string }) {
  const { t } = useI18n();
  const status = useLiveStatus();
  if (status === "live") {
    return (
      <span className="muted" title={t("live.live_hint")} data-live-status={status}>
        <span aria-hidden="true">● </span>
        {t("live.live")}
      </span>
    );
  }
  return (
    <span className="muted" data-live-status={status}>
      {t(status === "connecting" ? "live.connecting" : "live.offline")} · {polling}
    </span>
  );
}
