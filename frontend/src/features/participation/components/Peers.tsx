import { Button } from "../../../components/Button";
import { Alert, Spinner } from "../../../components/Layout";
import { useI18n } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import { usePeers } from "../api";

/** Fellow participants, by pseudonym only. */
export function Peers({ spaceId, me }: { spaceId: string; me: string }) {
  const { t } = useI18n();
  const peers = usePeers(spaceId);
  if (peers.isPending) return <Spinner label={t("app.loading")} />;
  if (peers.isError) return <Alert>{problemMessage(peers.error, t)}</Alert>;
  const items = peers.data.pages.flatMap((page) => page.items);
  return (
    <section className="card stack" aria-labelledby="peers-heading">
      <h2 id="peers-heading">{t("my_space.peers", { count: items.length })}</h2>
      <ul className="chips" role="list">
        {items.map((peer) => (
          <li key={peer.id} className="chip">
            {peer.pseudonym}
            {peer.pseudonym === me && <span className="visually-hidden"> ({t("my_space.you")})</span>}
          </li>
        ))}
      </ul>
      {peers.hasNextPage && (
        <Button variant="secondary" size="sm" onClick={() => void peers.fetchNextPage()}>
          {t("common.show_more")}
        </Button>
      )}
    </section>
  );
}
