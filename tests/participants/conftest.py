"""The spaces' brand, plus a few people in its space with known addresses."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from causerie.core.database import Database
from causerie.models import ParticipantStatus
from tests.spaces.conftest import Brand, build_brand
from tests.support.factories import UserInfo, add_participant, create_segment, create_user


@pytest.fixture
async def brand(db: Database) -> Brand:
    return await build_brand(db)


@dataclass(frozen=True)
class People:
    """In ``brand.space_id``, besides Mimi (the brand's member, in VIP)."""

    ann: UserInfo
    bob: UserInfo
    cat: UserInfo
    ann_id: uuid.UUID  # active, VIP and Prospects
    bob_id: uuid.UUID  # suspended, no segment
    cat_id: uuid.UUID  # left, Prospects
    prospects_id: uuid.UUID

    @property
    def emails(self) -> list[str]:
        return [self.ann.email, self.bob.email, self.cat.email]


@pytest.fixture
async def people(db: Database, brand: Brand) -> People:
    prospects = await create_segment(db, brand.space_id, "Prospects")
    ann = await create_user(db, email="ann.secret@mail.example.com", display_name="Ann Real")
    bob = await create_user(db, email="bob.secret@mail.example.com", display_name="Bob Real")
    cat = await create_user(db, email="cat.secret@mail.example.com", display_name="Cat Real")
    ann_id = await add_participant(
        db, brand.space_id, ann, "Annie", segments=[brand.segment_id, prospects]
    )
    bob_id = await add_participant(
        db, brand.space_id, bob, "Bobby", status=ParticipantStatus.suspended
    )
    cat_id = await add_participant(
        db, brand.space_id, cat, "Kitty", segments=[prospects], status=ParticipantStatus.left
    )
    return People(ann, bob, cat, ann_id, bob_id, cat_id, prospects)
