"""A brand with an open space, two segments and three participants."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import httpx
import pytest

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import (
    Participant,
    Role,
    Segment,
    Space,
    SpaceLanguage,
    SpaceObjective,
    SpaceStatus,
    participant_segment,
)
from tests.support.factories import UserInfo, auth_headers, create_organization, create_user


@dataclass
class Stage:
    space_id: uuid.UUID
    vip: uuid.UUID
    prospects: uuid.UUID
    people: dict[str, UserInfo] = field(default_factory=dict)
    participants: dict[str, uuid.UUID] = field(default_factory=dict)

    def headers(self, settings: Settings, who: str) -> dict[str, str]:
        return auth_headers(settings, self.people[who])


@pytest.fixture
async def stage(db: Database) -> Stage:
    people = {
        name: await create_user(db, email=f"{name}@example.com", display_name=name.title())
        for name in ("owner", "animator", "observer", "outsider", "rose", "jules", "ines")
    }
    org_id = await create_organization(
        db,
        members={
            people["owner"]: Role.owner,
            people["animator"]: Role.animator,
            people["observer"]: Role.observer,
        },
    )
    await create_organization(db, name="Other", members={people["outsider"]: Role.owner})
    joined = utcnow() - timedelta(days=2)
    async with db.writer() as session, session.begin():
        space = Space(
            organization_id=org_id,
            title="Club",
            objective=SpaceObjective.product_feedback,
            language=SpaceLanguage.en,
            time_zone="Europe/Paris",
            status=SpaceStatus.open,
            opened_at=joined,
        )
        session.add(space)
        await session.flush()
        vip = Segment(organization_id=org_id, space_id=space.id, name="VIP", name_key="vip")
        prospects = Segment(
            organization_id=org_id, space_id=space.id, name="Prospects", name_key="prospects"
        )
        session.add_all([vip, prospects])
        await session.flush()
        stage = Stage(space.id, vip.id, prospects.id, people)
        for name, segment in (("rose", vip), ("jules", vip), ("ines", prospects)):
            participant = Participant(
                organization_id=org_id,
                space_id=space.id,
                user_id=people[name].id,
                pseudonym=name.title(),
                pseudonym_key=name,
                joined_at=joined,
                consent_terms_version=1,
                consent_at=joined,
            )
            session.add(participant)
            await session.flush()
            await session.execute(
                participant_segment.insert().values(
                    participant_id=participant.id, segment_id=segment.id
                )
            )
            stage.participants[name] = participant.id
        return stage


def discussion(**extra: object) -> dict[str, object]:
    return {
        "kind": "discussion",
        "title": "Your first impressions",
        "status": "published",
        "release": {"kind": "at", "at": (utcnow() - timedelta(hours=1)).isoformat()},
        **extra,
    }


def poll(**extra: object) -> dict[str, object]:
    return {
        "kind": "poll",
        "title": "The new lamp",
        "status": "published",
        "visibility": "open",
        "poll": {
            "options": [
                {"key": "love", "label": "I love it"},
                {"key": "pricey", "label": "Too expensive"},
            ]
        },
        "release": {"kind": "at", "at": (utcnow() - timedelta(hours=1)).isoformat()},
        **extra,
    }


async def add_prompt(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, body: dict[str, object]
) -> dict[str, object]:
    response = await client.post(
        f"/api/v1/spaces/{stage.space_id}/prompts",
        json=body,
        headers=stage.headers(settings, "animator"),
    )
    assert response.status_code == 201, response.text
    result: dict[str, object] = response.json()
    return result
