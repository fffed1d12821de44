import { Link } from "@tanstack/react-router";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";

import { Button } from "../../../components/Button";
import { Alert, Spinner } from "../../../components/Layout";
import { formatDateTime } from "../../../lib/format";
import { useI18n } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import { useMarkRead, useNotifications, type Notification } from "../api";

type Side = "participant" | "studio";

function NotificationLink({
  notification,
  side,
  onOpen,
}: {
  notification: Notification;
  side: Side;
  onOpen: () => void;
}) {
  const { space_id: spaceId, prompt_id: promptId, probe_id: probeId, title } = notification;
  if (spaceId && promptId && side === "participant") {
    return (
      <Link
        to="/me/spaces/$spaceId/prompts/$promptId"
        params={{ spaceId, promptId }}
        // The brand's question: the prompt page opens on it.
        hash={probeId ? `probe-${probeId}` : undefined}
        onClick={onOpen}
        className="strong"
      >
        {title}
      </Link>
    );
  }
  if (spaceId && side === "participant") {
    return (
      <Link to="/me/spaces/$spaceId" params={{ spaceId }} onClick={onOpen} className="strong">
        {title}
      </Link>
    );
  }
  if (spaceId && side === "studio") {
    return (
      <Link to="/spaces/$spaceId" params={{ spaceId }} search={{ tab: "script" }} onClick={onOpen} className="strong">
        {title}
      </Link>
    );
  }
  return <span className="strong">{title}</span>;
}

/**
 * The bell of the top bar: unread count (polled every 30 s), a panel listing
 * notifications with links to what they are about, mark one or all as read.
 */
export function NotificationBell({ side }: { side: Side }) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const notifications = useNotifications();
  const markRead = useMarkRead();
  const unread = notifications.data?.pages[0]?.unread_count ?? 0;
  const items = notifications.data?.pages.flatMap((p) => p.items) ?? [];

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: MouseEvent) => {
      if (rootRef.current && !rootRef.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", onPointer);
    return () => document.removeEventListener("mousedown", onPointer);
  }, [open]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === "Escape" && open) {
      event.stopPropagation();
      setOpen(false);
      buttonRef.current?.focus();
    }
  }

  const close = () => {
    setOpen(false);
  };

  return (
    <div className="bell" ref={rootRef} onKeyDown={onKeyDown}>
      <button
        ref={buttonRef}
        type="button"
        className="bell__button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={unread > 0 ? t("notifications.bell_unread", { count: unread }) : t("notifications.bell")}
        onClick={() => setOpen((o) => !o)}
      >
        <svg
          aria-hidden="true"
          viewBox="0 0 24 24"
          width="20"
          height="20"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
        >
          <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {unread > 0 && (
          <span className="bell__count" aria-hidden="true">
            {unread > 99 ? "99+" : unread}
          </span>
        )}
      </button>
      {open && (
        <section id={panelId} className="bell__panel stack stack--sm" aria-label={t("notifications.heading")}>
          <div className="page-header">
            <h2 className="bell__title">{t("notifications.heading")}</h2>
            {unread > 0 && (
              <Button variant="secondary" size="sm" disabled={markRead.isPending} onClick={() => markRead.mutate(null)}>
                {t("notifications.read_all")}
              </Button>
            )}
          </div>
          {markRead.isError && <Alert>{problemMessage(markRead.error, t)}</Alert>}
          {notifications.isPending ? (
            <Spinner label={t("app.loading")} />
          ) : notifications.isError ? (
            <Alert>{problemMessage(notifications.error, t)}</Alert>
          ) : items.length === 0 ? (
            <p className="muted">{t("notifications.empty")}</p>
          ) : (
            <ul className="notifications">
              {items.map((n) => (
                <li key={n.id} className={n.read_at ? "notification" : "notification notification--unread"}>
                  {!n.read_at && <span className="visually-hidden">{t("notifications.unread")} </span>}
                  <NotificationLink
                    notification={n}
                    side={side}
                    onOpen={() => {
                      if (!n.read_at) markRead.mutate(n.id);
                      close();
                    }}
                  />
                  {n.body && <p className="notification__body">{n.body}</p>}
                  <p className="muted notification__meta">
                    {formatDateTime(n.created_at, lang)}
                    {!n.read_at && (
                      <>
                        {" · "}
                        <button
                          type="button"
                          className="link-button"
                          aria-label={t("notifications.mark_read_named", { title: n.title })}
                          onClick={() => markRead.mutate(n.id)}
                        >
                          {t("notifications.mark_read")}
                        </button>
                      </>
                    )}
                  </p>
                </li>
              ))}
            </ul>
          )}
          {notifications.hasNextPage && (
            <Button variant="secondary" size="sm" onClick={() => void notifications.fetchNextPage()}>
              {t("common.show_more")}
            </Button>
          )}
        </section>
      )}
    </div>
  );
}
