"""The access rule, exhaustively, on the live-event path: a stream hears of an answer
exactly when its person may read it (visibility × answered × who × segment × moment).

Streams decide from state they hold (``realtime/audience.Listener``), on live delivery and
on reconnection alike (the router runs the same decision for both).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest

from causerie.core.ids import uuid7
from causerie.models import Role, Visibility
from causerie.models.events import Audience
from causerie.models.script import ReleaseKind
from causerie.realtime.audience import Listener, Own, Seat, SpaceScript
from causerie.realtime.service import LiveEvent
from causerie.script.timeline import Answer, ParticipantFacts, PromptRule, Release
from tests.access.test_participant_access import CASES, OPENS, PROMPT, VIP, _expected

ORGANIZATION, SPACE, OTHER_AUTHOR = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def _listener(
    visibility: Visibility, answered: bool, who: str, segment: str, moment: str
) -> tuple[Listener, LiveEvent, datetime, SpaceScript]:
    me = Seat(id=uuid.uuid4(), organization_id=ORGANIZATION, joined_at=OPENS - timedelta(days=10))
    at = OPENS + timedelta(hours=1) if moment == "after" else OPENS - timedelta(hours=1)
    script = SpaceScript(
        visibility={PROMPT: visibility},
        rules=[
            PromptRule(
                id=PROMPT,
                position=0,
                release=Release(kind=ReleaseKind.at, at=OPENS),
                segment_ids=frozenset({VIP}),
            )
        ],
    )
    own = Own(
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
        listener.keep_own(SPACE, own)
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
    return listener, event, at, script


@pytest.mark.parametrize(("visibility", "answered", "who", "segment", "moment"), CASES)
def test_a_stream_hears_of_an_answer_exactly_when_its_person_may_read_it(
    visibility: Visibility, answered: bool, who: str, segment: str, moment: str
) -> None:
    listener, event, at, script = _listener(visibility, answered, who, segment, moment)
    assert listener.needs_own(event) is None, "the stream holds what it needs"
    expected = _expected(visibility, answered, who, segment, moment)
    assert listener.hears(event, at, script) is expected


def test_a_participant_whose_state_is_not_loaded_hears_nothing_of_others() -> None:
    listener, event, at, script = _listener(Visibility.open, True, "other", "in_segment", "after")
    assert listener.hears(event, at, script) is True
    listener.own.clear()
    assert listener.needs_own(event) == SPACE
    assert listener.hears(event, at, script) is False
    assert listener.hears(event, at, None) is False


def test_my_own_answer_makes_my_stream_reload_what_i_may_read() -> None:
    listener, event, at, _script = _listener(
        Visibility.uninfluenced, False, "other", "in_segment", "after"
    )
    assert listener.needs_own(event) is None
    mine = LiveEvent(id=uuid7(), created_at=at, kind="response.created",
                     audience=Audience.readers, user_id=listener.user_id,
                     organization_id=ORGANIZATION, space_id=SPACE, prompt_id=PROMPT)  # fmt: skip
    listener.forget_after(mine)
    assert listener.needs_own(event) == SPACE


def test_other_audiences() -> None:
    listener, _event, at, script = _listener(Visibility.open, True, "staff", "in_segment", "after")
    to_me = LiveEvent(id=uuid7(), created_at=at, kind="notification", audience=Audience.user,
                      user_id=listener.user_id)  # fmt: skip
    to_someone = LiveEvent(id=uuid7(), created_at=at, kind="notification",
                           audience=Audience.user, user_id=uuid.uuid4())  # fmt: skip
    editors = LiveEvent(id=uuid7(), created_at=at, kind="notification",
                        audience=Audience.editors, organization_id=ORGANIZATION)  # fmt: skip
    assert listener.hears(to_me, at, script) is True
    assert listener.hears(to_someone, at, script) is False
    assert listener.hears(editors, at, script) is False, "an observer is no editor"
    listener.roles[ORGANIZATION] = Role.animator
    assert listener.hears(editors, at, script) is True


def test_a_right_to_read_is_remembered_under_the_same_script_only() -> None:
    listener, event, at, script = _listener(Visibility.open, True, "other", "in_segment", "after")
    assert listener.hears(event, at, script) is True
    before_it_opened = at - timedelta(hours=2)
    assert listener.hears(event, before_it_opened, script) is True, "remembered"
    changed = SpaceScript(rules=script.rules, visibility={PROMPT: Visibility.private})
    assert listener.hears(event, at, changed) is False, "a new script is decided afresh"
