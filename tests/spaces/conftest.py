"""A brand with an open space (a segment, a participant), a second space, and another brand."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import AuditLogEntry, Role, SpaceStatus
from tests.support.factories import (
    UserInfo,
    add_participant,
    auth_headers,
    create_organization,
    create_segment,
    create_space,
    create_user,
)


@dataclass(frozen=True)
class Brand:
    id: uuid.UUID
    owner: UserInfo
    animator: UserInfo
    observer: UserInfo
    outsider: UserInfo
    member: UserInfo
    space_id: uuid.UUID
    segment_id: uuid.UUID
    participant_id: uuid.UUID
    # Same organization, another space.
    sibling_space_id: uuid.UUID
    sibling_segment_id: uuid.UUID
    sibling_participant_id: uuid.UUID
    # Another organization (the outsider's).
    foreign_space_id: uuid.UUID
    foreign_segment_id: uuid.UUID
    foreign_participant_id: uuid.UUID

    def headers(self, settings: Settings, who: str) -> dict[str, str]:
        return auth_headers(settings, getattr(self, who))


async def build_brand(db: Database) -> Brand:
    owner = await create_user(db, email="owner@brand.example.com", display_name="Olivia")
    animator = await create_user(db, email="animator@brand.example.com", display_name="Anna")
    observer = await create_user(db, email="observer@brand.example.com", display_name="Oscar")
    outsider = await create_user(db, email="outsider@other.example.com", display_name="Zed")
    member = await create_user(db, email="member@people.example.com", display_name="Mia")
    org_id = await create_organization(
        db,
        name="Brand",
        members={owner: Role.owner, animator: Role.animator, observer: Role.observer},
    )
    foreign_org = await create_organization(db, name="Other", members={outsider: Role.owner})

    space_id = await create_space(db, org_id, title="Le Club", status=SpaceStatus.open)
    segment_id = await create_segment(db, space_id, "VIP")
    participant_id = await add_participant(db, space_id, member, "Mimi", segments=[segment_id])

    sibling = await create_space(db, org_id, title="Sibling", status=SpaceStatus.open)
    sibling_segment = await create_segment(db, sibling, "Sibling segment")
    sibling_participant = await add_participant(db, sibling, member, "Mimi elsewhere")

    foreign = await create_space(db, foreign_org, title="Foreign", status=SpaceStatus.open)
    foreign_segment = await create_segment(db, foreign, "Foreign segment")
    foreign_participant = await add_participant(db, foreign, member, "Mimi abroad")
    return Brand(
        id=org_id,
        owner=owner,
        animator=animator,
        observer=observer,
        outsider=outsider,
        member=member,
        space_id=space_id,
        segment_id=segment_id,
        participant_id=participant_id,
        sibling_space_id=sibling,
        sibling_segment_id=sibling_segment,
        sibling_participant_id=sibling_participant,
        foreign_space_id=foreign,
        foreign_segment_id=foreign_segment,
        foreign_participant_id=foreign_participant,
    )


@pytest.fixture
async def brand(db: Database) -> Brand:
    return await build_brand(db)


async def audit_actions(db: Database) -> list[str]:
    async with db.reader() as session:
        return list(
            (
                await session.scalars(
                    select(AuditLogEntry.action).order_by(
                        AuditLogEntry.created_at, AuditLogEntry.id
                    )
                )
            ).all()
        )
