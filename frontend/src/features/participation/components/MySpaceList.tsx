import { Link } from "@tanstack/react-router";

import { Button } from "../../../components/Button";
import { Alert, Spinner } from "../../../components/Layout";
import { spaceTheme } from "../../../lib/contrast";
import { useI18n } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import { useMySpaces, type MySpaceCard } from "../api";

/** What awaits me in a space I can act in: prompts to do, the brand's questions, new replies. */
function Awaiting({ space }: { space: MySpaceCard }) {
  const { t } = useI18n();
  if (space.status !== "active" || space.space_status !== "open") return null;
  const counts = [
    { count: space.open_probes, text: t("my_spaces.open_probes", { count: space.open_probes }), brand: true },
    { count: space.to_do, text: t("my_spaces.to_do", { count: space.to_do }), brand: false },
    { count: space.unread_replies, text: t("my_spaces.unread_replies", { count: space.unread_replies }), brand: false },
  ].filter((c) => c.count > 0);
  if (counts.length === 0) return <p className="space-card__meta">{t("my_spaces.nothing_waiting")}</p>;
  return (
    <ul className="space-card__awaits" aria-label={t("my_spaces.awaits")}>
      {counts.map((c) => (
        <li key={c.text} className={c.brand ? "badge badge--brand" : "badge"}>
          {c.text}
        </li>
      ))}
    </ul>
  );
}

export function MySpaceList() {
  const { t } = useI18n();
  const spaces = useMySpaces();
  if (spaces.isPending) return <Spinner label={t("app.loading")} />;
  if (spaces.isError) return <Alert>{problemMessage(spaces.error, t)}</Alert>;
  const items = spaces.data.pages.flatMap((page) => page.items);
  if (items.length === 0) return <p className="muted">{t("my_spaces.empty")}</p>;
  return (
    <div className="stack">
      <ul className="space-cards" role="list">
        {items.map((space) => (
          <li key={space.space_id} className="space-card" style={spaceTheme(space.accent_color)}>
            <div className="space-banner space-banner--compact">
              {space.logo_url && <img className="space-banner__logo" src={space.logo_url} alt="" />}
              <div>
                <p className="space-banner__org">{space.organization_name}</p>
                <h2 className="space-banner__title">
                  <Link to="/me/spaces/$spaceId" params={{ spaceId: space.space_id }} className="space-card__link">
                    {space.title}
                  </Link>
                </h2>
              </div>
            </div>
            <Awaiting space={space} />
            <p className="space-card__meta">{t("my_spaces.as", { pseudonym: space.pseudonym })}</p>
          </li>
        ))}
      </ul>
      {spaces.hasNextPage && (
        <Button variant="secondary" disabled={spaces.isFetchingNextPage} onClick={() => void spaces.fetchNextPage()}>
          {t("common.show_more")}
        </Button>
      )}
    </div>
  );
}
