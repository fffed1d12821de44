import { Link } from "@tanstack/react-router";
import { useState } from "react";

import { Button } from "../../components/Button";
import { SelectField } from "../../components/Field";
import { Alert, Spinner } from "../../components/Layout";
import { useToast } from "../../components/Toast";
import {
  useMyTimeline,
  useRefreshResponses,
  useRespond,
  useResponses,
  type Response,
  type ResponseOrder,
  type TimelineItem,
} from "../../features/answers/api";
import { AnswerForm } from "../../features/answers/components/AnswerForm";
import { AggregateView, ResponseList } from "../../features/answers/components/Responses";
import { WhatNext } from "../../features/answers/components/WhatNext";
import { shapeFromItem, shapeFromResponses } from "../../features/answers/model";
import { Conversation } from "../../features/conversations/components/Conversation";
import { LastVisitContext } from "../../components/NewMarker";
import { useMySpace, useRecordVisit } from "../../features/participation/api";
import { lastVisitBefore } from "../../features/participation/visits";
import { spaceTheme } from "../../lib/contrast";
import { formatDateTimeIn } from "../../lib/format";
import { useI18n, type MessageKey } from "../../lib/i18n";
import { problemMessage } from "../../lib/problem";
import { myPromptRoute } from "./routes";
import { SpaceError } from "./space";

const KIND: Record<TimelineItem["kind"], MessageKey> = {
  discussion: "prompt.kind.discussion",
  poll: "prompt.kind.poll",
  rating: "prompt.kind.rating",
  diary: "prompt.kind.diary",
};

function canAnswer(item: TimelineItem, answeredCount: number): boolean {
  if (item.state !== "open") return false;
  // A diary takes one entry per period: once this period's is written, it waits for the next.
  if (item.kind === "diary") return item.entries_done < item.entries_expected && !item.next_entry_at;
  return answeredCount === 0;
}

export function MyPromptPage() {
  const { t, lang } = useI18n();
  const toast = useToast();
  const { spaceId, promptId } = myPromptRoute.useParams();
  const space = useMySpace(spaceId);
  useRecordVisit(spaceId, space.isSuccess);
  const timeline = useMyTimeline(spaceId);
  const [order, setOrder] = useState<ResponseOrder>("newest");
  const responses = useResponses(promptId, order);
  const respond = useRespond(spaceId, promptId);
  const refreshResponses = useRefreshResponses(promptId);
  // Remounts the form after each diary entry so it starts empty.
  const [formKey, setFormKey] = useState(0);

  if (space.isPending || timeline.isPending) return <Spinner label={t("app.loading")} />;
  if (space.isError) return <SpaceError error={space.error} />;
  // Suspended between two requests: the timeline says so too.
  if (timeline.isError) return <SpaceError error={timeline.error} />;

  const item = timeline.data.items.find((i) => i.prompt_id === promptId);
  const back = (
    <nav aria-label={t("common.breadcrumb")} className="breadcrumb">
      <Link to="/me/spaces/$spaceId" params={{ spaceId }}>
        {t("prompt_page.back", { title: space.data.title })}
      </Link>
    </nav>
  );
  if (!item) {
    return (
      <div className="stack">
        {back}
        <h1>{t("prompt_page.not_found_title")}</h1>
        <p>{t("prompt_page.not_found")}</p>
      </div>
    );
  }

  const timeZone = timeline.data.time_zone;
  const pages = responses.data?.pages ?? [];
  const all = pages.flatMap((p) => p.items);
  const first = pages[0];
  const mine = all.filter((r) => r.mine);
  const others = all.filter((r) => !r.mine);
  const shape = shapeFromItem(item) ?? shapeFromResponses(item.kind, first, all);
  const open = canAnswer(item, mine.length) && space.data.space_status === "open";
  const active = space.data.status === "active";
  const canWrite = active && space.data.space_status === "open";
  const footer = (response: Response) => (
    <Conversation answer={response} canWrite={canWrite} canReact={active} onChanged={refreshResponses} />
  );

  return (
    <LastVisitContext.Provider value={lastVisitBefore(spaceId, space.data.last_seen_at)}>
      <div className="themed stack stack--lg" style={spaceTheme(space.data.accent_color)}>
        {back}
        <header className="stack stack--sm">
          <h1>{item.title}</h1>
          <p className="chips">
            <span className="chip">{t(KIND[item.kind])}</span>
            {item.required && <span className="chip">{t("prompt.required_short")}</span>}
            {item.state === "open" && item.closes_at && (
              <span className="muted">
                {t("home.closes", { date: formatDateTimeIn(item.closes_at, lang, timeZone) })}
              </span>
            )}
            {item.kind === "diary" && (
              <span className="muted">
                {t("timeline.entries", { done: item.entries_done, expected: item.entries_expected })}
              </span>
            )}
          </p>
        </header>
        {/* Illustrates the question; the visible title above names the prompt. */}
        {item.image_url && <img className="prompt-image" src={item.image_url} alt="" />}
        {item.body_html && (
          <section className="card">
            {/* Server-rendered and sanitized Markdown. */}
            <div className="prose" dangerouslySetInnerHTML={{ __html: item.body_html }} />
          </section>
        )}
        {item.state === "upcoming" && (
          <p className="notice">
            {item.opens_at
              ? t("prompt_page.upcoming", { date: formatDateTimeIn(item.opens_at, lang, timeZone) })
              : item.follows_title
                ? t("prompt_page.upcoming_after", { title: item.follows_title })
                : t("prompt_page.upcoming_unknown")}
          </p>
        )}
        {item.state === "closed" && <p className="notice">{t("prompt_page.closed")}</p>}
        {open && (
          <section className="card stack" aria-labelledby="answer-heading">
            <h2 id="answer-heading">{item.kind === "diary" ? t("answer.new_entry") : t("answer.heading")}</h2>
            {responses.isPending ? (
              <Spinner label={t("app.loading")} />
            ) : (
              <AnswerForm
                key={formKey}
                shape={shape}
                submitLabel={t("answer.submit")}
                pending={respond.isPending}
                error={respond.error}
                onSubmit={(body) =>
                  respond.mutate(body, {
                    onSuccess: () => {
                      toast.show(t("answer.sent"));
                      respond.reset();
                      setFormKey((k) => k + 1);
                    },
                  })
                }
              />
            )}
          </section>
        )}
        {space.data.space_status === "open" && (
          <WhatNext
            item={item}
            items={timeline.data.items}
            spaceId={spaceId}
            spaceTitle={space.data.title}
            timeZone={timeZone}
          />
        )}
        {responses.isError ? (
          <Alert>{problemMessage(responses.error, t)}</Alert>
        ) : responses.isPending ? null : (
          <>
            {mine.length > 0 && (
              <ResponseList
                responses={mine}
                shape={shape}
                spaceId={spaceId}
                heading={mine.length > 1 ? t("answer.mine_many") : t("answer.mine")}
                footer={footer}
              />
            )}
            {first?.hidden_until_answered && <p className="notice">{t("answer.hidden_until_answered")}</p>}
            {first?.aggregate && first.aggregate.responses > 0 && <AggregateView aggregate={first.aggregate} />}
            {!first?.hidden_until_answered && others.length > 0 && (
              <div className="stack">
                <SelectField
                  label={t("answer.order")}
                  value={order}
                  className="field--compact"
                  onChange={(e) => setOrder(e.target.value as ResponseOrder)}
                >
                  <option value="newest">{t("answer.order_newest")}</option>
                  <option value="oldest">{t("answer.order_oldest")}</option>
                </SelectField>
                <ResponseList
                  responses={others}
                  shape={shape}
                  spaceId={spaceId}
                  heading={t("answer.others")}
                  footer={footer}
                />
                {responses.hasNextPage && (
                  <Button
                    variant="secondary"
                    size="sm"
                    disabled={responses.isFetchingNextPage}
                    onClick={() => void responses.fetchNextPage()}
                  >
                    {t("common.show_more")}
                  </Button>
                )}
              </div>
            )}
          </>
        )}
      </div>
    </LastVisitContext.Provider>
  );
}
