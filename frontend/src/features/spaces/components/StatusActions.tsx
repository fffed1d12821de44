import { useState } from "react";

import { Button } from "../../../components/Button";
import { ConfirmDialog } from "../../../components/ConfirmDialog";
import { Alert } from "../../../components/Layout";
import { useToast } from "../../../components/Toast";
import { useI18n, type MessageKey } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import { useUpdateSpace, type Space, type SpaceStatus } from "../api";
import { spaceStatusLabel } from "./labels";

type Action = { to: SpaceStatus; label: MessageKey; variant: "primary" | "secondary" | "danger" };

/** The transitions the API allows from each status (draft → open → closed ⇄ open; any → archived). */
export function statusActions(status: SpaceStatus): Action[] {
  const archive: Action = { to: "archived", label: "space.action.archive", variant: "danger" };
  switch (status) {
    case "draft":
      return [{ to: "open", label: "space.action.open", variant: "primary" }, archive];
    case "open":
      return [{ to: "closed", label: "space.action.close", variant: "secondary" }, archive];
    case "closed":
      return [{ to: "open", label: "space.action.reopen", variant: "primary" }, archive];
    case "archived":
      return [];
  }
}

/**
 * The space's status buttons: its lifecycle (open, close, reopen) in the page header, or,
 * with `only="archive"`, the final archiving, which lives in the settings' danger zone
 * rather than beside the everyday actions of every tab.
 */
export function StatusActions({ space, only = "lifecycle" }: { space: Space; only?: "lifecycle" | "archive" }) {
  const { t } = useI18n();
  const toast = useToast();
  const update = useUpdateSpace(space.id);
  const [confirming, setConfirming] = useState<Action | null>(null);

  function apply(action: Action) {
    update.mutate(
      { status: action.to },
      {
        onSuccess: (saved) => toast.show(t("space.status_changed", { status: spaceStatusLabel(t, saved.status) })),
        onSettled: () => setConfirming(null),
      },
    );
  }

  const actions = statusActions(space.status).filter((action) => (action.to === "archived") === (only === "archive"));
  if (actions.length === 0) return null;
  return (
    <div className="stack">
      {update.isError && <Alert>{problemMessage(update.error, t)}</Alert>}
      <div className="actions actions--start">
        {actions.map((action) => (
          <Button
            key={action.to}
            variant={action.variant}
            size="sm"
            disabled={update.isPending}
            onClick={() => (action.to === "archived" || action.to === "closed" ? setConfirming(action) : apply(action))}
          >
            {t(action.label)}
          </Button>
        ))}
      </div>
      <ConfirmDialog
        open={confirming !== null}
        title={confirming ? t(confirming.label) : ""}
        confirmLabel={confirming ? t(confirming.label) : ""}
        cancelLabel={t("common.cancel")}
        closeLabel={t("common.close")}
        pending={update.isPending}
        danger={confirming?.to === "archived"}
        onClose={() => setConfirming(null)}
        onConfirm={() => confirming && apply(confirming)}
      >
        <p>
          {confirming?.to === "archived"
            ? t("space.archive_confirm", { title: space.title })
            : t("space.close_confirm", { title: space.title })}
        </p>
      </ConfirmDialog>
    </div>
  );
}

/** The end of the settings tab: what cannot be undone, said plainly, with its one button. */
export function DangerZone({ space }: { space: Space }) {
  const { t } = useI18n();
  if (space.status === "archived") return null;
  return (
    <section className="card stack danger-zone" aria-labelledby="danger-zone-heading">
      <h2 id="danger-zone-heading">{t("space.danger_heading")}</h2>
      <p>{t("space.danger_archive_hint")}</p>
      <StatusActions space={space} only="archive" />
    </section>
  );
}
