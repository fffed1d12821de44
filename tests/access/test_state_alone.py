"""A page reads one prompt's state from that prompt alone when its release follows no other
prompt: the same state as the participant's whole timeline gives, for any script."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from causerie.access import participants as access
from causerie.script.timeline import ParticipantFacts, ReleaseKind, timeline
from tests.script.test_timeline import FAST, MOMENTS, PARTICIPANTS, answer_sets, scripts


@FAST
@given(data=st.data(), participant=PARTICIPANTS, at=MOMENTS)
def test_a_self_contained_prompt_has_the_state_its_whole_timeline_gives(
    data: st.DataObject, participant: ParticipantFacts, at: datetime
) -> None:
    rules = data.draw(scripts())
    answers = data.draw(answer_sets(rules))
    whole = timeline(rules, participant, answers, at)
    for rule, state in zip(rules, whole, strict=True):
        given_entries = answers[rule.id].entry_times if rule.id in answers else ()
        alone = access.state_alone(rule, participant, given_entries, at)
        if rule.release.kind in (ReleaseKind.after_prompt, ReleaseKind.when_answer):
            assert alone is None  # it follows another prompt: the whole view is needed
        else:
            assert alone == state
