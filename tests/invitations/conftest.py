"""A brand with an open space, two segments, and e-mail going to a real SMTP server."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import httpx
import pytest

from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import Role, Segment, Space, SpaceLanguage, SpaceObjective, SpaceStatus
from tests.support.factories import UserInfo, auth_headers, create_organization, create_user
from tests.support.smtp import SmtpServer, deliver_outbox

LINK = re.compile(r"https?://[^\s\"<>]+/invitations/([A-Za-z0-9_-]+)")


@pytest.fixture
def settings(settings: Settings, smtp_server: SmtpServer) -> Settings:
    return smtp_server.configure(settings)


@dataclass(frozen=True)
class Club:
    organization_id: uuid.UUID
    space_id: uuid.UUID
    vip: uuid.UUID
    prospects: uuid.UUID
    owner: UserInfo
    animator: UserInfo
    observer: UserInfo
    outsider: UserInfo

    def headers(self, settings: Settings, who: str) -> dict[str, str]:
        return auth_headers(settings, getattr(self, who))


@pytest.fixture
async def club(db: Database) -> Club:
    owner = await create_user(db, email="owner@lumiere.example.com", display_name="Camille")
    animator = await create_user(db, email="animator@lumiere.example.com", display_name="Léa")
    observer = await create_user(db, email="observer@lumiere.example.com", display_name="Hugo")
    outsider = await create_user(db, email="outsider@other.example.com", display_name="Zed")
    org_id = await create_organization(
        db,
        name="Maison Lumière",
        members={owner: Role.owner, animator: Role.animator, observer: Role.observer},
    )
    await create_organization(db, name="Other", members={outsider: Role.owner})
    async with db.writer() as session, session.begin():
        space = Space(
            organization_id=org_id,
            title="Club Lumière",
            objective=SpaceObjective.relationship,
            language=SpaceLanguage.fr,
            status=SpaceStatus.open,
            welcome_message="Bienvenue **à vous**",
            terms="Vos réponses restent privées.",
            accent_color="#aa3355",
        )
        session.add(space)
        await session.flush()
        vip = Segment(organization_id=org_id, space_id=space.id, name="VIP", name_key="vip")
        prospects = Segment(
            organization_id=org_id, space_id=space.id, name="Prospects", name_key="prospects"
        )
        session.add_all([vip, prospects])
        await session.flush()
        return Club(org_id, space.id, vip.id, prospects.id, owner, animator, observer, outsider)


async def invite(
    client: httpx.AsyncClient, club: Club, settings: Settings, email: str, **extra: object
) -> httpx.Response:
    return await client.post(
        f"/api/v1/spaces/{club.space_id}/invitations",
        json={"email": email, **extra},
        headers=club.headers(settings, "animator"),
    )


async def delivered_token(
    db: Database, settings: Settings, smtp_server: SmtpServer, recipient: str
) -> str:
    """Deliver the outbox, find the newest e-mail to ``recipient`` and return its link token."""
    await deliver_outbox(db, settings)
    for received in reversed(smtp_server.received):
        if recipient in received.rcpt_tos:
            match = LINK.search(received.part("text/plain"))
            assert match, received.part("text/plain")
            return match.group(1)
    raise AssertionError(f"no e-mail to {recipient}")
