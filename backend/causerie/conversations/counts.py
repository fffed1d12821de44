"""Counts shown with every page of answers and replies, in one statement per page.

Reply counts, reaction counts (with the viewer's own) and a poll's or rating's totals are
each a ``GROUP BY``; a page asks for the ones it shows as one ``UNION ALL``, and no row
is loaded to be counted in Python.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import (
    Integer,
    String,
    Uuid,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    null,
    select,
    true,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.access import participants as access
from causerie.core.database import dialect_of
from causerie.models import Prompt, PromptKind, Response
from causerie.models.conversations import AuthorKind, Reaction, ReactionKind, Reply


@dataclass
class Tallies:
    """What a page shows besides its rows."""

    replies: Counter[uuid.UUID] = field(default_factory=Counter)
    branded: set[uuid.UUID] = field(default_factory=set)  # answers staff replied under
    reactions: dict[uuid.UUID, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    my_reactions: dict[uuid.UUID, list[ReactionKind]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # A poll's or rating's totals over all its answers.
    responses: int = 0
    others: int = 0
    options: Counter[str] = field(default_factory=Counter)
    ratings: Counter[int] = field(default_factory=Counter)


def _branch(tally: str, item: Any, key: Any, count: Any, mine: Any = None) -> Any:
    return select(
        literal_column(f"'{tally}'", String).label("tally"),
        item.label("item") if item is not None else cast(null(), Uuid).label("item"),
        key.label("key") if key is not None else cast(null(), String).label("key"),
        count.label("n"),
        (mine if mine is not None else literal_column("0", Integer)).label("mine"),
    )


def _reply_counts(viewer_is_participant: bool) -> Any:
    """Visible replies per answer (``:reply_ids``) and author kind; a participant
    (``:viewer_id``) counts the private replies under their own answers only."""
    stmt = (
        _branch("reply", Reply.response_id, cast(Reply.author_kind, String), func.count())
        .join(Response, Response.id == Reply.response_id)
        .where(
            Reply.response_id.in_(bindparam("reply_ids", expanding=True)),
            Reply.deleted_at.is_(None),
        )
    )
    if viewer_is_participant:
        stmt = stmt.where(
            access.private_items_filter(
                Reply.private, Response.participant_id, bindparam("viewer_id", type_=Uuid)
            )
        )
    return stmt.group_by(Reply.response_id, Reply.author_kind)


def _reaction_counts(with_mine: bool) -> Any:
    """Reactions per item (``:reaction_ids``) and kind, and how many are ``:user_id``'s."""
    mine = (
        func.sum(case((Reaction.user_id == bindparam("user_id", type_=Uuid), 1), else_=0))
        if with_mine
        else None
    )
    return (
        _branch("reaction", Reaction.target_id, cast(Reaction.kind, String), func.count(), mine)
        .where(Reaction.target_id.in_(bindparam("reaction_ids", expanding=True)))
        .group_by(Reaction.target_id, Reaction.kind)
    )


def _choices(dialect: str) -> Any:
    """The elements of ``response.choices`` as rows: a table-valued function per dialect."""
    function = func.json_array_elements_text if dialect == "postgresql" else func.json_each
    return function(Response.choices).table_valued("value")


def _totals(dialect: str, kind: PromptKind) -> list[Any]:
    """A poll's or rating's (``:prompt_id``) answers, others, and options or ratings."""
    live = and_(
        Response.prompt_id == bindparam("prompt_id", type_=Uuid), Response.deleted_at.is_(None)
    )
    other = func.count(case((and_(Response.other_text.is_not(None), Response.other_text != ""), 1)))
    branches = [_branch("responses", None, None, func.count(), other).where(live)]
    if kind is PromptKind.poll:
        choices = _choices(dialect)
        branches.append(
            _branch("option", None, cast(choices.c.value, String), func.count())
            .select_from(Response)
            .join(choices, true())  # each answer's chosen options, one row each
            .where(live)
            .group_by(choices.c.value)
        )
    else:
        branches.append(
            _branch("rating", None, cast(Response.rating, String), func.count())
            .where(live, Response.rating.is_not(None))
            .group_by(Response.rating)
        )
    return branches


@cache
def _statement(
    dialect: str,
    replies: bool,
    viewer_is_participant: bool,
    reactions: bool,
    with_mine: bool,
    totals: PromptKind | None,
) -> Any:
    """The ``UNION ALL`` of the tallies a page asks for, built once per shape."""
    branches: list[Any] = []
    if replies:
        branches.append(_reply_counts(viewer_is_participant))
    if reactions:
        branches.append(_reaction_counts(with_mine))
    if totals is not None:
        branches += _totals(dialect, totals)
    return union_all(*branches)


async def page_tallies(
    session: AsyncSession,
    *,
    response_ids: Sequence[uuid.UUID] = (),
    reaction_target_ids: Sequence[uuid.UUID] = (),
    user_id: uuid.UUID | None,
    viewer_participant_id: uuid.UUID | None = None,
    totals_of: Prompt | None = None,
) -> Tallies:
    """Reply counts of ``response_ids``, reaction counts (and ``user_id``'s own) of
    ``reaction_target_ids``, and the totals of a poll or rating ``totals_of``: one query."""
    totals = (
        totals_of.kind
        if totals_of is not None and totals_of.kind in (PromptKind.poll, PromptKind.rating)
        else None
    )
    tallies = Tallies()
    if not response_ids and not reaction_target_ids and totals is None:
        return tallies
    statement = _statement(
        dialect_of(session),
        replies=bool(response_ids),
        viewer_is_participant=viewer_participant_id is not None,
        reactions=bool(reaction_target_ids),
        with_mine=user_id is not None,
        totals=totals,
    )
    parameters = {
        "reply_ids": list(response_ids),
        "reaction_ids": list(reaction_target_ids),
        "viewer_id": viewer_participant_id,
        "user_id": user_id,
        "prompt_id": totals_of.id if totals_of is not None else None,
    }
    for tally, item, key, count, mine in await session.execute(statement, parameters):
        _add(tallies, tally, item, key, int(count), int(mine or 0))
    return tallies


def _add(tallies: Tallies, tally: str, item: Any, key: Any, count: int, mine: int) -> None:
    match tally:
        case "reply":
            tallies.replies[item] += count
            if key == AuthorKind.staff.value:
                tallies.branded.add(item)
        case "reaction":
            tallies.reactions[item][key] = count
            if mine:
                tallies.my_reactions[item].append(ReactionKind(key))
        case "responses":
            tallies.responses, tallies.others = count, mine
        case "option":
            tallies.options[key] = count
        case "rating":
            tallies.ratings[int(key)] = count


async def reactions_for(
    session: AsyncSession, target_ids: list[uuid.UUID], user_id: uuid.UUID | None
) -> tuple[dict[uuid.UUID, dict[str, int]], dict[uuid.UUID, list[ReactionKind]]]:
    """Counts per item and kind, and the viewer's own reactions — one query for a page."""
    tallies = await page_tallies(session, reaction_target_ids=target_ids, user_id=user_id)
    return tallies.reactions, tallies.my_reactions
