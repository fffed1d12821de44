"""The access rule, exhaustively, on the live-event path: a stream hears of an answer
exactly when its person may read it (visibility × answered × who × segment × moment).

Streams decide from state they hold (``realtime/audience.Listener``), on live delivery and
on reconnection alike (the router runs the same decision for both).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest

from causerie.access.participants import ScriptView
from causerie.core.ids import uuid7
from causerie.models import Participant, ParticipantStatus, Prompt, Role, Visibility
from causerie.models.events import Audience
from causerie.models.script import ReleaseKind
from causerie.realtime.audience import Listener
from causerie.realtime.service import LiveEvent
from causerie.script.timeline import Answer, ParticipantFacts, PromptRule, Release
from tests.access.test_participant_access import CASES, OPENS, PROMPT, VIP, _expected

ORGANIZATION, SPACE, OTHER_AUTHOR = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def _listener(
    visibility: Visibility, answered: bool, who: str, segment: str, moment: str
) -> tuple[Listener, LiveEvent, datetime]:
    me = Participant(id=uuid.uuid4(), space_id=SPACE, status=ParticipantStatus.active)
    at = OPENS + timedelta(hours=1) if moment == "after" else OPENS - timedelta(hours=1)
    view = ScriptView(
        prompts=[Prompt(id=PROMPT, visibility=visibility)],
        rules=[
            PromptRule(
                id=PROMPT,
                position=0,
                release=Release(kind=ReleaseKind.at, at=OPENS),
                segment_ids=frozenset({VIP}),
            )
        ],
        facts=ParticipantFacts(
            segment_ids=frozenset({VIP}) if segment == "in_segment" else frozenset(),
            joined_at=OPENS - timedelta(days=10),
        ),
        answers={PROMPT: Answer(entry_times=(OPENS,))} if answered and moment == "after" else {},
    )
    listener = Listener(
        user_id=uuid.uuid4(),
        roles={ORGANIZATION: Role.observer} if who == "staff" else {},
        participations={} if who == "staff" else {SPACE: me},
    )
    if who != "staff":
        listener.keep_view(SPACE, view, at)
    event = LiveEvent(
        id=uuid7(),
        created_at=at,
        kind="reply.created",
        audience=Audience.readers,
        organization_id=ORGANIZATION,
        space_id=SPACE,
        prompt_id=PROMPT,
        author_participant_id=me.id if who == "author" else OTHER_AUTHOR,
    )
    return listener, event, at


@pytest.mark.parametrize(("visibility", "answered", "who", "segment", "moment"), CASES)
def test_a_stream_hears_of_an_answer_exactly_when_its_person_may_read_it(
    visibility: Visibility, answered: bool, who: str, segment: str, moment: str
) -> None:
    listener, event, at = _listener(visibility, answered, who, segment, moment)
    assert listener.needs_view(event, at) is None, "the view it holds is fresh"
    assert listener.hears(event, at) is _expected(visibility, answered, who, segment, moment)


def test_a_participant_without_a_view_of_the_space_hears_nothing_of_others() -> None:
    listener, event, at = _listener(Visibility.open, True, "other", "in_segment", "after")
    listener.views.clear()
    assert listener.needs_view(event, at) == SPACE
    assert listener.hears(event, at) is False


def test_other_audiences() -> None:
    listener, _event, at = _listener(Visibility.open, True, "staff", "in_segment", "after")
    to_me = LiveEvent(id=uuid7(), created_at=at, kind="notification", audience=Audience.user,
                      user_id=listener.user_id)  # fmt: skip
    to_someone = LiveEvent(id=uuid7(), created_at=at, kind="notification",
                           audience=Audience.user, user_id=uuid.uuid4())  # fmt: skip
    editors = LiveEvent(id=uuid7(), created_at=at, kind="notification",
                        audience=Audience.editors, organization_id=ORGANIZATION)  # fmt: skip
    assert listener.hears(to_me, at) is True
    assert listener.hears(to_someone, at) is False
    assert listener.hears(editors, at) is False, "an observer is no editor"
    listener.roles[ORGANIZATION] = Role.animator
    assert listener.hears(editors, at) is True
