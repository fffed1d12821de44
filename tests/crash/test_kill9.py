"""Crash test: ``kill -9`` the API server and the outbox worker in the middle of a burst.

Forty participants answer a prompt at once through a real ``causerie serve``; each answer
opens two follow-up prompts, so it queues two e-mails in its own transaction. A separate
``causerie worker`` delivers them to a real SMTP server. Part way through, the API server
is killed with SIGKILL (requests in flight get no answer) and a new one is started on the
same database; the worker is killed twice, each time while an SMTP server has accepted a
message but not yet answered ``250`` for it, and restarted with a short lease.

What must hold afterwards:

- every answer the API acknowledged (201) is stored, with the id it answered, and with
  the e-mails it queued (answers and their e-mails commit together or not at all);
- a request cut off by the kill either committed (retrying it answers "already
  answered") or left nothing;
- every queued e-mail ends ``sent`` and reached the SMTP server; none is stuck in
  ``sending`` after its worker died;
- an e-mail reached the SMTP server twice only when its worker died between the server
  accepting it and the worker recording it: at most one per message in hand at the kill
  (sends are sequential, so at most one per kill, well within ``BATCH_SIZE`` x kills), and
  the copy carries the same ``Message-ID`` so a receiver can drop it.

Why not exactly once: delivery spans two systems that cannot commit together, the SMTP
server and our database. The worker must either record "sent" before handing the message
over (a crash in between loses the e-mail) or after (a crash in between sends it again).
No protocol closes that window: SMTP has no two-phase commit, and the server's ``250`` can
always be lost with the worker. The outbox therefore chooses at-least-once, never losing a
queued e-mail, keeps the window to the one message in hand, and makes duplicates
recognisable: the ``Message-ID`` is derived from the outbox row, so the copy is the same
message, which mail stores and readers deduplicate on. "Exactly once" holds for what the
database owns: each answer and each outbox row exists once.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
from aiosmtpd.controller import Controller
from sqlalchemy import func, select, update

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.models import (
    EmailPreference,
    OutboxMessage,
    OutboxStatus,
    Participant,
    Response,
    Role,
    SpaceLanguage,
    SpaceStatus,
)
from causerie.outbox.service import BATCH_SIZE
from tests.support.databases import PostgresDatabases, SqliteDatabases, fresh_server_database
from tests.support.factories import (
    PASSWORD,
    UserInfo,
    add_participant,
    create_organization,
    create_space,
    create_user,
)
from tests.support.server import TEST_SECRET, ServerProcess, start_server
from tests.support.smtp import SmtpServer

PARTICIPANTS = 40
CONCURRENT_REQUESTS = 8
KILL_SERVER_AFTER_ACKS = 10
# The worker dies while the SMTP server holds the n-th message it accepted (counted from
# each worker's start): the 3rd for the first worker, the 10th for the second.
STALL_AT = (3, 10)
LEASE_SECONDS = 3
WITHIN = 40.0
FOLLOW_UPS = ("First follow-up", "Second follow-up")


class StallingSmtpServer(SmtpServer):
    """The test SMTP server, able to accept a message and then not answer for it.

    ``stall_at(n)``: the n-th message from now is stored (as a real server queues it)
    and its ``250`` withheld until ``release()``: the sender cannot know it was taken.
    """

    def __init__(self) -> None:
        super().__init__()
        self._controller = Controller(
            _StallingHandler(self), hostname=self.hostname, port=self.port
        )
        self._lock = threading.Lock()
        self._countdown = 0
        self.stalled = threading.Event()
        self.stalled_ids: list[uuid.UUID] = []
        self._releases: list[threading.Event] = []

    def stall_at(self, count: int) -> None:
        with self._lock:
            self._countdown = count
            self.stalled = threading.Event()
            self._releases.append(threading.Event())

    def release(self) -> None:
        with self._lock:
            for event in self._releases:
                event.set()

    def stop(self) -> None:
        self.release()
        super().stop()

    def store(self, envelope: Any) -> threading.Event | None:
        """Store the message; returns the event to wait for when its answer is withheld."""
        self._accept(envelope)
        with self._lock:
            if self._countdown == 0:
                return None
            self._countdown -= 1
            if self._countdown > 0:
                return None
            parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
            assert isinstance(parsed, EmailMessage)
            self.stalled_ids.append(_row_id(str(parsed["Message-ID"])))
            self.stalled.set()
            return self._releases[-1]


class _StallingHandler:
    def __init__(self, server: StallingSmtpServer) -> None:
        self.server = server

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
        released = self.server.store(envelope)
        if released is not None:
            # Cancelled when the sender's connection drops; bounded in any case.
            await asyncio.get_running_loop().run_in_executor(None, released.wait, WITHIN)
        return "250 OK"


def _row_id(message_id: str) -> uuid.UUID:
    """The outbox row behind a Message-ID ``<row-id@domain>``."""
    return uuid.UUID(message_id.strip().removeprefix("<").partition("@")[0])


def _kill9(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


def _start_worker(database_url: str, smtp: SmtpServer) -> subprocess.Popen[bytes]:
    data_dir = Path(tempfile.mkdtemp(prefix="causerie-worker-"))
    environment = {
        **os.environ,
        "CAUSERIE_DATABASE_URL": database_url,
        "CAUSERIE_DATA_DIR": str(data_dir),
        "CAUSERIE_SECRET_KEY": TEST_SECRET,
        "CAUSERIE_LOG_LEVEL": "WARNING",
        "CAUSERIE_SMTP_HOST": smtp.hostname,
        "CAUSERIE_SMTP_PORT": str(smtp.port),
        "CAUSERIE_SMTP_SECURITY": "none",
        "CAUSERIE_SMTP_TIMEOUT": "10",
        "CAUSERIE_OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
        "CAUSERIE_OUTBOX_RETRY_BASE_SECONDS": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "causerie", "worker"], env=environment, cwd=data_dir
    )


SERVER_ENV = {
    "CAUSERIE_INPROCESS_WORKER": "false",
    "CAUSERIE_LOGIN_ATTEMPTS_PER_IP": "1000",
}


@dataclass
class World:
    space_id: uuid.UUID
    owner: UserInfo
    people: list[UserInfo]


async def _arrange(db: Database) -> World:
    owner = await create_user(db, email="owner@crash.example.com", display_name="Owner")
    organization_id = await create_organization(db, name="Crash", members={owner: Role.owner})
    space_id = await create_space(
        db,
        organization_id,
        title="Crash club",
        language=SpaceLanguage.en,
        status=SpaceStatus.open,
        opened_at=utcnow() - timedelta(days=1),
    )
    people = []
    for index in range(PARTICIPANTS):
        person = await create_user(db, email=f"p{index:02d}@crash.example.com")
        await add_participant(db, space_id, person, f"Person {index:02d}")
        people.append(person)
    async with db.writer() as session, session.begin():
        await session.execute(
            update(Participant)
            .where(Participant.space_id == space_id)
            .values(email_notifications=EmailPreference.immediate)
        )
    return World(space_id, owner, people)


async def _login(client: httpx.AsyncClient, server: ServerProcess, person: UserInfo) -> str:
    response = await client.post(
        f"{server.url}/api/v1/auth/login", json={"email": person.email, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


async def _script(
    client: httpx.AsyncClient, server: ServerProcess, space_id: uuid.UUID, token: str
) -> str:
    """An open question; answering it opens two follow-ups (two e-mails per answer)."""

    async def add(body: dict[str, object]) -> str:
        response = await client.post(
            f"{server.url}/api/v1/spaces/{space_id}/prompts",
            json={"kind": "discussion", "status": "published", **body},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    question = await add(
        {
            "title": "What happened today?",
            "release": {"kind": "at", "at": (utcnow() - timedelta(hours=1)).isoformat()},
        }
    )
    for title in FOLLOW_UPS:
        await add({"title": title, "release": {"kind": "after_prompt", "prompt_id": question}})
    return question


@dataclass
class Burst:
    """Everyone answers at once; the server is killed after some acknowledgements."""

    client: httpx.AsyncClient
    servers: list[ServerProcess]
    database_url: str
    question: str
    tokens: list[str]
    acked: dict[int, uuid.UUID] = field(default_factory=dict)
    cut_off: set[int] = field(default_factory=set)
    already: set[int] = field(default_factory=set)
    unexpected: dict[int, str] = field(default_factory=dict)
    up: asyncio.Event = field(default_factory=asyncio.Event)
    killed: bool = False

    def __post_init__(self) -> None:
        self.up.set()
        self.slots = asyncio.Semaphore(CONCURRENT_REQUESTS)

    @property
    def server(self) -> ServerProcess:
        return self.servers[-1]

    async def answer(self, index: int) -> None:
        async with self.slots:
            for _attempt in range(3):
                await self.up.wait()
                try:
                    response = await self.client.post(
                        f"{self.server.url}/api/v1/prompts/{self.question}/responses",
                        json={"text": f"Answer number {index}"},
                        headers={"Authorization": f"Bearer {self.tokens[index]}"},
                    )
                except httpx.TransportError:
                    self.cut_off.add(index)  # no answer: retried on the new server
                    continue
                if response.status_code == 201:
                    self.acked[index] = uuid.UUID(response.json()["id"])
                    if len(self.acked) == KILL_SERVER_AFTER_ACKS and not self.killed:
                        await self._crash_and_restart()
                elif response.status_code == 409 and index in self.cut_off:
                    self.already.add(index)  # committed before the kill, answer lost
                else:
                    self.unexpected[index] = f"{response.status_code} {response.text}"
                return
            self.unexpected[index] = "no answer after three attempts"

    async def _crash_and_restart(self) -> None:
        self.killed = True
        self.up.clear()
        _kill9(self.server.process)
        self.servers.append(await start_server(self.database_url, env=SERVER_ENV))
        self.up.set()

    async def run(self) -> None:
        await asyncio.gather(*(self.answer(index) for index in range(len(self.tokens))))


async def _chaos_on_the_worker(
    database_url: str, smtp: StallingSmtpServer, workers: list[subprocess.Popen[bytes]]
) -> None:
    """Kill each worker while the SMTP server holds a message it accepted; restart it."""
    for index, _count in enumerate(STALL_AT):
        stalled = await asyncio.to_thread(smtp.stalled.wait, WITHIN)
        assert stalled, f"worker {index + 1} never reached its message {STALL_AT[index]}"
        _kill9(workers[-1])
        smtp.release()
        if index + 1 < len(STALL_AT):
            smtp.stall_at(STALL_AT[index + 1])
        workers.append(_start_worker(database_url, smtp))


async def _outbox_statuses(db: Database) -> Counter[OutboxStatus]:
    async with db.reader() as session:
        rows = await session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        )
        return Counter(dict(rows.all()))


async def _drained(db: Database) -> Counter[OutboxStatus]:
    """Poll (bounded) until no e-mail is pending or being sent."""
    deadline = time.monotonic() + WITHIN
    while True:
        statuses = await _outbox_statuses(db)
        if statuses[OutboxStatus.pending] + statuses[OutboxStatus.sending] == 0:
            return statuses
        assert time.monotonic() < deadline, f"the outbox did not drain: {dict(statuses)}"
        await asyncio.sleep(0.2)


async def test_acknowledged_answers_and_queued_emails_survive_kill_9_of_server_and_worker(
    databases: SqliteDatabases | PostgresDatabases,
) -> None:
    database_url = await fresh_server_database(databases, f"crash{uuid.uuid4().hex[:6]}")
    db = Database.from_url(database_url)
    smtp = StallingSmtpServer()
    smtp.start()
    servers: list[ServerProcess] = []
    workers: list[subprocess.Popen[bytes]] = []
    try:
        world = await _arrange(db)
        servers.append(await start_server(database_url, env=SERVER_ENV))
        async with httpx.AsyncClient(timeout=30) as client:
            owner_token = await _login(client, servers[0], world.owner)
            question = await _script(client, servers[0], world.space_id, owner_token)
            logins = asyncio.Semaphore(4)

            async def login(person: UserInfo) -> str:
                async with logins:
                    return await _login(client, servers[0], person)

            tokens = list(await asyncio.gather(*(login(person) for person in world.people)))

            smtp.stall_at(STALL_AT[0])
            workers.append(_start_worker(database_url, smtp))
            burst = Burst(client, servers, database_url, question, tokens)
            await asyncio.gather(burst.run(), _chaos_on_the_worker(database_url, smtp, workers))

        statuses = await _drained(db)
        workers[-1].terminate()
        await asyncio.to_thread(workers[-1].wait, 15)

        # The API: every acknowledged answer is there, as acknowledged, with its e-mails.
        assert burst.killed and burst.cut_off, "the server must die with requests in flight"
        assert not burst.unexpected, burst.unexpected
        assert set(burst.acked) | burst.already == set(range(PARTICIPANTS))
        async with db.reader() as session:
            stored = dict(
                (
                    await session.execute(
                        select(Participant.user_id, Response.id)
                        .join(Participant, Participant.id == Response.participant_id)
                        .where(Response.prompt_id == uuid.UUID(question))
                    )
                ).all()
            )
            emails = (
                await session.execute(
                    select(OutboxMessage.id, OutboxMessage.recipient, OutboxMessage.subject)
                )
            ).all()
        for index, response_id in burst.acked.items():
            assert stored.get(world.people[index].id) == response_id, f"answer {index} lost"
        assert len(stored) == PARTICIPANTS
        for person in world.people:
            for title in FOLLOW_UPS:
                queued = [row for row in emails if row.recipient == person.email]
                assert sum(title in row.subject for row in queued) == 1, (person.email, title)

        # The outbox: everything sent, nothing stuck, nothing lost.
        assert statuses == Counter({OutboxStatus.sent: len(emails)}), dict(statuses)
        received = Counter(_row_id(mail.message_id) for mail in smtp.received)
        assert set(received) == {row.id for row in emails}, "every e-mail, and only those"

        # Duplicates: only the message in hand when a worker died, same Message-ID.
        duplicated = {row_id for row_id, count in received.items() if count > 1}
        kills = len(STALL_AT)
        assert duplicated == set(smtp.stalled_ids)
        assert len(duplicated) <= kills <= BATCH_SIZE * kills
        assert all(received[row_id] == 2 for row_id in duplicated)
        for row_id in duplicated:
            copies = [mail for mail in smtp.received if _row_id(mail.message_id) == row_id]
            assert len({mail.message_id for mail in copies}) == 1
            assert len({(mail.message["To"], mail.message["Subject"]) for mail in copies}) == 1
    finally:
        for process in workers:
            if process.poll() is None:
                _kill9(process)
        for server in servers:
            if server.process.poll() is None:
                server.stop()
        smtp.stop()
        await db.dispose()
