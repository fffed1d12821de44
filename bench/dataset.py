"""The benchmark data set: built once with bulk inserts, cached, copied fresh for each run.

One organization with its staff and one open space of ``participants`` people, each with
40 answers: a welcome discussion, a poll, 30 entries of the big diary (``journal``, the list
B1 and B2 read) and 8 entries of a second diary; replies (a tenth of the answers) and
reactions around them; four open discussions nobody answered yet (what B4 writes to).
Two more spaces, of 10 and of 1,000 participants, are the statement counts' (B7) small and
large space.

The built data set is a template (a PostgreSQL database, a SQLite file) labelled with what
it was built from: its size, the migration head and this file's hash. A run reuses it when
all three are unchanged, and works on a fresh copy of it.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import shutil
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from alembic.script import ScriptDirectory
from sqlalchemy import Table, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from causerie.core.ids import uuid7
from causerie.core.markdown import render_markdown
from causerie.core.migrations import alembic_config, upgrade_async
from causerie.core.passwords import hash_password_sync
from causerie.models import (
    AuthSession,
    Membership,
    Organization,
    Participant,
    Prompt,
    PromptKind,
    PromptStatus,
    Reaction,
    Reply,
    Response,
    Role,
    Segment,
    Space,
    SpaceLanguage,
    SpaceObjective,
    SpaceStatus,
    User,
    Visibility,
    participant_segment,
)
from causerie.models.conversations import AuthorKind, ReactionKind

BATCH = 4_000
PASSWORD = "bench-password-not-secret"  # noqa: S105 - every bench account's
JOURNAL_ENTRIES = 30
WEEK_ENTRIES = 8
WRITE_PROMPTS = 4
REPLIES_PER_PARTICIPANT = 4
REACTIONS_PER_PARTICIPANT = 2
B7_SIZES = (10, 1_000)
STAFF = (
    ("owner", Role.owner),
    ("animator", Role.animator),
    ("animator2", Role.animator),
    ("observer", Role.observer),
    ("observer2", Role.observer),
)
_TEXTS = (
    "Ce matin j'ai **essayé** la nouvelle crème : texture légère, parfum discret.",
    "Pas convaincue par le flacon, la pompe accroche.\n\n- odeur agréable\n- prix élevé",
    "Je l'utilise depuis une semaine. *Peau plus douce*, mais rien de spectaculaire.",
    "Rien de nouveau aujourd'hui, routine habituelle.",
    "J'ai offert un échantillon à ma sœur, elle a adoré le [site](https://example.com).",
    "Le packaging recyclable est un vrai plus pour moi.",
)
_RENDERED = tuple(render_markdown(t) for t in _TEXTS)


@dataclass(frozen=True)
class Person:
    user_id: uuid.UUID
    session_id: uuid.UUID
    email: str
    participant_id: uuid.UUID | None = None


@dataclass(frozen=True)
class SpaceFacts:
    space_id: uuid.UUID
    prompts: dict[str, uuid.UUID]
    participants: int

    @property
    def write_prompts(self) -> list[uuid.UUID]:
        return [v for k, v in sorted(self.prompts.items()) if k.startswith("write")]


@dataclass(frozen=True)
class Facts:
    """What the cases need to know of the data set (its ids), kept with the template."""

    organization_id: uuid.UUID
    staff: dict[str, Person]
    main: SpaceFacts
    small: SpaceFacts
    large: SpaceFacts
    counts: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return json.loads(json.dumps(asdict(self), default=str))  # type: ignore[no-any-return]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Facts:
        def person(d: dict[str, Any]) -> Person:
            pid = d.get("participant_id")
            return Person(
                uuid.UUID(d["user_id"]),
                uuid.UUID(d["session_id"]),
                d["email"],
                uuid.UUID(pid) if pid else None,
            )

        def space(d: dict[str, Any]) -> SpaceFacts:
            return SpaceFacts(
                uuid.UUID(d["space_id"]),
                {k: uuid.UUID(v) for k, v in d["prompts"].items()},
                int(d["participants"]),
            )

        return cls(
            organization_id=uuid.UUID(data["organization_id"]),
            staff={k: person(v) for k, v in data["staff"].items()},
            main=space(data["main"]),
            small=space(data["small"]),
            large=space(data["large"]),
            counts={k: int(v) for k, v in data["counts"].items()},
        )


# --- building ---------------------------------------------------------------------------


class _Builder:
    """Rows generated in memory and inserted in batches with Core ``insert()``."""

    def __init__(self, connection: AsyncConnection, seed: int = 11) -> None:
        self.connection = connection
        self.random = random.Random(seed)  # noqa: S311 - repeatable data, not secrets
        self.base = datetime.now(UTC).replace(microsecond=0)
        self.password_hash = hash_password_sync(PASSWORD)
        self.counts: dict[str, int] = {}

    async def insert(self, table: Table | type[Any], rows: Iterable[dict[str, Any]]) -> None:
        target: Table = table if isinstance(table, Table) else table.__table__
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                await self.connection.execute(insert(target), batch)
                self.counts[target.name] = self.counts.get(target.name, 0) + len(batch)
                batch = []
        if batch:
            await self.connection.execute(insert(target), batch)
            self.counts[target.name] = self.counts.get(target.name, 0) + len(batch)

    def text(self) -> tuple[str, str]:
        index = self.random.randrange(len(_TEXTS))
        return _TEXTS[index], _RENDERED[index]

    async def users(self, label: str, count: int) -> list[Person]:
        people = [Person(uuid7(), uuid7(), f"{label}-{i}@bench.example.com") for i in range(count)]
        await self.insert(
            User,
            (
                {
                    "id": p.user_id,
                    "email": p.email,
                    "display_name": f"{label.title()} {i}",
                    "password_hash": self.password_hash,
                    "created_at": self.base - timedelta(days=90),
                    "updated_at": self.base - timedelta(days=90),
                }
                for i, p in enumerate(people)
            ),
        )
        await self.insert(
            AuthSession,
            ({"id": p.session_id, "user_id": p.user_id, "created_at": self.base} for p in people),
        )
        return people

    async def organization(self) -> tuple[uuid.UUID, dict[str, Person]]:
        organization_id = uuid7()
        await self.insert(Organization, [{"id": organization_id, "name": "Maison Bench"}])
        staff: dict[str, Person] = {}
        for name, role in STAFF:
            (person,) = await self.users(name, 1)
            staff[name] = person
            await self.insert(
                Membership,
                [{"organization_id": organization_id, "user_id": person.user_id, "role": role}],
            )
        return organization_id, staff

    async def space(
        self,
        organization_id: uuid.UUID,
        title: str,
        size: int,
        *,
        label: str,
        journal_entries: int,
        week_entries: int,
        staff: Sequence[Person],
        replies: bool,
    ) -> SpaceFacts:
        space_id = uuid7()
        start = self.base - timedelta(days=60)
        await self.insert(
            Space,
            [
                {
                    "id": space_id,
                    "organization_id": organization_id,
                    "title": title,
                    "objective": SpaceObjective.product_feedback,
                    "language": SpaceLanguage.fr,
                    "status": SpaceStatus.open,
                    "opened_at": start,
                    "created_at": start,
                }
            ],
        )
        segments = [uuid7(), uuid7()]
        await self.insert(
            Segment,
            [
                {
                    "id": s,
                    "organization_id": organization_id,
                    "space_id": space_id,
                    "name": name,
                    "name_key": name.casefold(),
                }
                for s, name in zip(segments, ("VIP", "Prospects"), strict=True)
            ],
        )
        prompts = await self._prompts(organization_id, space_id, journal_entries, week_entries)
        people = await self.users(label, size)
        participant_ids = [uuid7() for _ in people]
        await self.insert(
            Participant,
            (
                {
                    "id": participant_ids[i],
                    "organization_id": organization_id,
                    "space_id": space_id,
                    "user_id": p.user_id,
                    "pseudonym": f"Membre {i}",
                    "pseudonym_key": f"membre {i}",
                    "joined_at": start + timedelta(seconds=i),
                    "created_at": start + timedelta(seconds=i),
                    "consent_terms_version": 1,
                    "consent_at": start + timedelta(seconds=i),
                }
                for i, p in enumerate(people)
            ),
        )
        await self.insert(
            participant_segment,
            (
                {"participant_id": pid, "segment_id": segments[1 if i % 3 == 0 else 0]}
                for i, pid in enumerate(participant_ids)
            ),
        )
        answers = await self._answers(
            organization_id, space_id, prompts, participant_ids, journal_entries, week_entries
        )
        if replies:
            users = [p.user_id for p in people]
            await self._replies(organization_id, space_id, answers, participant_ids, staff)
            await self._reactions(organization_id, answers, users)
        return SpaceFacts(space_id=space_id, prompts=prompts, participants=size)

    async def _prompts(
        self,
        organization_id: uuid.UUID,
        space_id: uuid.UUID,
        journal_entries: int,
        week_entries: int,
    ) -> dict[str, uuid.UUID]:
        poll = {
            "multiple": False,
            "allow_other": False,
            "options": [{"key": k, "label": k.title()} for k in ("oui", "non", "peut-etre")],
        }
        specs: list[tuple[str, PromptKind, Visibility, dict[str, Any], int]] = [
            ("bienvenue", PromptKind.discussion, Visibility.open, {}, 58),
            ("avis", PromptKind.poll, Visibility.uninfluenced, poll, 50),
            (
                "journal",
                PromptKind.diary,
                Visibility.open,
                {"entries": journal_entries, "period": "day"},
                45,
            ),
            (
                "semaine",
                PromptKind.diary,
                Visibility.uninfluenced,
                {"entries": week_entries, "period": "day"},
                12,
            ),
        ]
        specs += [
            (f"write-{k}", PromptKind.discussion, Visibility.open, {}, 1)
            for k in range(1, WRITE_PROMPTS + 1)
        ]
        ids = {key: uuid7() for key, *_ in specs}
        await self.insert(
            Prompt,
            [
                {
                    "id": ids[key],
                    "organization_id": organization_id,
                    "space_id": space_id,
                    "key": key,
                    "position": position,
                    "kind": kind,
                    "title": f"Prompt {key}",
                    "body": "Racontez-nous.",
                    "status": PromptStatus.published,
                    "visibility": visibility,
                    "config": config,
                    "released_at": self.base - timedelta(days=days_ago),
                    "created_at": self.base - timedelta(days=days_ago + 1),
                    "announced_until": self.base,
                    "reminded_until": self.base,
                }
                for position, (key, kind, visibility, config, days_ago) in enumerate(specs)
            ],
        )
        return ids

    async def _answers(
        self,
        organization_id: uuid.UUID,
        space_id: uuid.UUID,
        prompts: dict[str, uuid.UUID],
        participant_ids: list[uuid.UUID],
        journal_entries: int,
        week_entries: int,
    ) -> list[tuple[uuid.UUID, uuid.UUID]]:
        """Insert every answer; returns (answer, author) of the readable ones (open prompts)."""
        readable: list[tuple[uuid.UUID, uuid.UUID]] = []

        def rows() -> Iterator[dict[str, Any]]:
            for participant_id in participant_ids:
                plan: list[tuple[str, int, int]] = [("bienvenue", 0, 58), ("avis", 0, 50)]
                plan += [("journal", i, 45 - i) for i in range(journal_entries)]
                plan += [("semaine", i, 12 - i) for i in range(week_entries)]
                for key, entry, days_ago in plan:
                    at = self.base - timedelta(
                        days=days_ago, seconds=-self.random.randrange(1, 20 * 3600)
                    )
                    at = min(at, self.base - timedelta(minutes=5))
                    row: dict[str, Any] = {
                        "id": uuid7(),
                        "organization_id": organization_id,
                        "space_id": space_id,
                        "prompt_id": prompts[key],
                        "participant_id": participant_id,
                        "entry_index": entry,
                        "created_at": at,
                        "updated_at": at,
                        "choices": [],
                    }
                    if key == "avis":
                        row["choices"] = [self.random.choice(("oui", "non", "peut-etre"))]
                        row["text"] = row["text_html"] = None
                    else:
                        row["text"], row["text_html"] = self.text()
                    if key in ("bienvenue", "journal"):
                        readable.append((row["id"], participant_id))
                    yield row

        await self.insert(Response, rows())
        return readable

    async def _replies(
        self,
        organization_id: uuid.UUID,
        space_id: uuid.UUID,
        answers: list[tuple[uuid.UUID, uuid.UUID]],
        participant_ids: list[uuid.UUID],
        staff: Sequence[Person],
    ) -> None:
        def rows() -> Iterator[dict[str, Any]]:
            for _ in range(len(participant_ids) * REPLIES_PER_PARTICIPANT):
                response_id, _author = self.random.choice(answers)
                body, html = self.text()
                at = self.base - timedelta(seconds=self.random.randrange(600, 40 * 86400))
                row: dict[str, Any] = {
                    "id": uuid7(),
                    "organization_id": organization_id,
                    "space_id": space_id,
                    "response_id": response_id,
                    "text": body,
                    "text_html": html,
                    "created_at": at,
                    "updated_at": at,
                }
                staff_reply = self.random.random() < 0.25
                row["author_kind"] = AuthorKind.staff if staff_reply else AuthorKind.participant
                row["author_user_id"] = self.random.choice(staff).user_id if staff_reply else None
                row["author_participant_id"] = (
                    None if staff_reply else self.random.choice(participant_ids)
                )
                yield row

        await self.insert(Reply, rows())

    async def _reactions(
        self,
        organization_id: uuid.UUID,
        answers: list[tuple[uuid.UUID, uuid.UUID]],
        users: list[uuid.UUID],
    ) -> None:
        kinds = list(ReactionKind)

        def rows() -> Iterator[dict[str, Any]]:
            for user_id in users:
                targets = {self.random.choice(answers)[0] for _ in range(REACTIONS_PER_PARTICIPANT)}
                for target in targets:
                    yield {
                        "organization_id": organization_id,
                        "user_id": user_id,
                        "target_id": target,
                        "kind": self.random.choice(kinds),
                        "created_at": self.base - timedelta(days=1),
                    }

        await self.insert(Reaction, rows())


async def _build(url: str, participants: int) -> Facts:
    await upgrade_async(url)
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            builder = _Builder(connection)
            organization_id, staff = await builder.organization()
            animators = [staff["animator"], staff["animator2"]]
            main = await builder.space(
                organization_id,
                "Le Club",
                participants,
                label="p",
                journal_entries=JOURNAL_ENTRIES,
                week_entries=WEEK_ENTRIES,
                staff=animators,
                replies=True,
            )
            small, large = [
                await builder.space(
                    organization_id,
                    f"Espace {size}",
                    size,
                    label=f"s{size}",
                    journal_entries=2,
                    week_entries=1,
                    staff=animators,
                    replies=False,
                )
                for size in B7_SIZES
            ]
        return Facts(organization_id, staff, main, small, large, counts=builder.counts)
    finally:
        await engine.dispose()


# --- the cache --------------------------------------------------------------------------


def cache_key(participants: int) -> dict[str, Any]:
    """What a template must have been built from to be reused."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return {
        "participants": participants,
        "migration_heads": sorted(script.get_heads()),
        "dataset_code": hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16],
    }


def asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


@dataclass(frozen=True)
class Built:
    url: str  # the run's fresh copy
    facts: Facts
    cached: bool
    build_seconds: float


class PostgresStore:
    """Template ``<name>_tpl`` (labelled by a database comment) and the run's ``<name>``."""

    def __init__(self, admin_url: str, name: str) -> None:
        self.admin_url = admin_url
        self.name = name
        self.template = f"{name}_tpl"

    async def _admin(self, *statements: str) -> None:
        connection = await asyncpg.connect(asyncpg_dsn(self.admin_url), timeout=10)
        try:
            for statement in statements:
                await connection.execute(statement)
        finally:
            await connection.close()

    async def _label(self) -> dict[str, Any] | None:
        connection = await asyncpg.connect(asyncpg_dsn(self.admin_url), timeout=10)
        try:
            comment = await connection.fetchval(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1",
                self.template,
            )
        finally:
            await connection.close()
        return json.loads(comment) if comment else None

    async def prepare(self, participants: int, *, rebuild: bool) -> Built:
        key = cache_key(participants)
        label = None if rebuild else await self._label()
        began = asyncio.get_running_loop().time()
        cached = label is not None and label.get("key") == key
        if label is None or not cached:
            await self._admin(
                f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)',
                f'CREATE DATABASE "{self.template}"',
            )
            facts = await _build(with_database(self.admin_url, self.template), participants)
            tuned = await asyncpg.connect(asyncpg_dsn(with_database(self.admin_url, self.template)))
            try:
                await tuned.execute("VACUUM ANALYZE")
            finally:
                await tuned.close()
            comment = json.dumps({"key": key, "facts": facts.to_json()}).replace("'", "''")
            await self._admin(f"COMMENT ON DATABASE \"{self.template}\" IS '{comment}'")
        else:
            assert label is not None
            facts = Facts.from_json(label["facts"])
        await self._admin(
            f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)',
            f'CREATE DATABASE "{self.name}" TEMPLATE "{self.template}"',
        )
        seconds = asyncio.get_running_loop().time() - began
        return Built(with_database(self.admin_url, self.name), facts, cached, seconds)

    async def drop(self) -> None:
        await self._admin(
            f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)',
            f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)',
        )


class SqliteStore:
    """Template ``template.db`` (labelled by ``template.json``) and the run's ``run.db``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.template = folder / "template.db"
        self.label = folder / "template.json"
        self.run = folder / "run.db"

    @staticmethod
    def url(path: Path) -> str:
        return f"sqlite+aiosqlite:///{path}"

    @staticmethod
    def _remove(path: Path) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    @staticmethod
    def _finish(path: Path) -> None:
        """Statistics for the planner, and the whole file in one piece (no WAL) to copy."""
        connection = sqlite3.connect(path)
        try:
            connection.execute("ANALYZE")
            connection.commit()
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()

    async def prepare(self, participants: int, *, rebuild: bool) -> Built:
        key = cache_key(participants)
        began = asyncio.get_running_loop().time()
        label = None
        if not rebuild and self.label.exists() and self.template.exists():
            label = json.loads(self.label.read_text())
        cached = label is not None and label.get("key") == key
        if label is None or not cached:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.label.unlink(missing_ok=True)
            self._remove(self.template)
            facts = await _build(self.url(self.template), participants)
            await asyncio.to_thread(self._finish, self.template)
            self.label.write_text(json.dumps({"key": key, "facts": facts.to_json()}, indent=2))
        else:
            assert label is not None
            facts = Facts.from_json(label["facts"])
        self._remove(self.run)
        await asyncio.to_thread(shutil.copyfile, self.template, self.run)
        seconds = asyncio.get_running_loop().time() - began
        return Built(self.url(self.run), facts, cached, seconds)

    async def drop(self) -> None:
        self._remove(self.run)
        self._remove(self.template)
        self.label.unlink(missing_ok=True)


# --- reading the run's people -----------------------------------------------------------


async def participants_of(url: str, space_id: uuid.UUID) -> list[Person]:
    """The space's participants with their signed-in session, in a stable order."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                select(Participant.id, User.id, User.email, AuthSession.id)
                .join(User, User.id == Participant.user_id)
                .join(AuthSession, AuthSession.user_id == User.id)
                .where(Participant.space_id == space_id)
                .order_by(Participant.created_at, Participant.id)
            )
            return [
                Person(user_id, session_id, email, pid) for pid, user_id, email, session_id in rows
            ]
    finally:
        await engine.dispose()


async def answers_of(url: str, prompt_id: uuid.UUID, limit: int) -> list[uuid.UUID]:
    """Some answers of a prompt (readable by every participant: replies go under them)."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            rows = await connection.scalars(
                select(Response.id).where(Response.prompt_id == prompt_id).limit(limit)
            )
            return list(rows)
    finally:
        await engine.dispose()
