"""Notifications as subscribers of domain events (same transaction as the change)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from causerie.conversations import replies
from causerie.core.event_catalogue import ProbeCreated, PromptOpened, ReplyCreated, ResponseCreated
from causerie.core.events import Subscribers
from causerie.core.settings import Settings
from causerie.i18n import translate
from causerie.models import Participant, Prompt, Space
from causerie.models.conversations import AuthorKind, Probe, Reply
from causerie.notifications.probes import notify_probe
from causerie.notifications.service import (
    Message,
    Opening,
    announce_openings,
    notify,
    notify_editors,
)
from causerie.spaces import service as spaces_service


def register(subscribers: Subscribers, settings: Settings) -> None:
    @subscribers.on(PromptOpened)
    async def announce_opening(session: AsyncSession, event: PromptOpened) -> None:
        """A prompt that opened for a participant is announced to them, once."""
        space = await session.get_one(Space, event.space_id)
        participant = await session.get_one(Participant, event.participant_id)
        prompt = await session.get_one(Prompt, event.prompt_id)
        await announce_openings(
            session,
            settings=settings,
            space=space,
            openings=[Opening(participant=participant, prompt=prompt)],
        )

    @subscribers.on(ResponseCreated)
    async def tell_animators_of_answer(session: AsyncSession, event: ResponseCreated) -> None:
        space = await session.get_one(Space, event.space_id)
        # Loaded by the answering request: read from the unit of work, not the database.
        pseudonym = (await session.get_one(Participant, event.participant_id)).pseudonym
        title = (await session.get_one(Prompt, event.prompt_id)).title
        language = spaces_service.language_of(space)
        await notify_editors(
            session,
            space=space,
            message=Message(
                kind="new_response",
                dedup_key=f"new_response:{event.response_id}",
                title=translate(language, "staff.new_response", space=space.title),
                body=translate(language, "staff.new_response_body", author=pseudonym, title=title),
                link_path=f"/spaces/{space.id}?tab=console",
                prompt_id=event.prompt_id,
            ),
        )

    @subscribers.on(ReplyCreated)
    async def tell_thread_of_reply(session: AsyncSession, event: ReplyCreated) -> None:
        """The answer's author and the thread's earlier participants (not the replier);
        animators too when a participant replied."""
        space = await session.get_one(Space, event.space_id)
        reply = await session.get_one(Reply, event.reply_id)
        prompt = await session.get_one(Prompt, event.prompt_id)
        author = await replies.author_name(session, reply)
        language = spaces_service.language_of(space)
        excerpt = reply.text if len(reply.text) <= 140 else reply.text[:139] + "…"
        thread, emails = await replies.thread_participants(session, reply)
        await notify(
            session,
            settings=settings,
            space=space,
            participants=thread,
            emails=emails,
            message=Message(
                kind="reply",
                dedup_key=f"reply:{reply.id}",
                title=translate(language, "reply.title", space=space.title),
                body=translate(language, "reply.body", author=author, excerpt=excerpt),
                link_path=f"/me/spaces/{space.id}/prompts/{event.prompt_id}",
                prompt_id=event.prompt_id,
            ),
        )
        if reply.author_kind is not AuthorKind.participant:
            return
        await notify_editors(
            session,
            space=space,
            message=Message(
                kind="new_reply",
                dedup_key=f"new_reply:{reply.id}",
                title=translate(language, "staff.new_reply", space=space.title),
                body=translate(language, "staff.new_reply_body", author=author, title=prompt.title),
                link_path=f"/spaces/{space.id}?tab=console",
                prompt_id=event.prompt_id,
            ),
        )

    @subscribers.on(ProbeCreated)
    async def tell_probed_participant(session: AsyncSession, event: ProbeCreated) -> None:
        space = await session.get_one(Space, event.space_id)
        probe = await session.get_one(Probe, event.probe_id)
        await notify_probe(session, settings, space, probe, overdue=False)
