"""Demo data: the fictional brand "Maison Lumière". Idempotent; refused in production."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.core.passwords import hash_password
from causerie.models import Membership, Organization, Role, User

DEMO_PASSWORD = "causerie-demo"  # noqa: S105 - published demo credential
DEMO_ORGANIZATION = "Maison Lumière"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    display_name: str
    role: Role


DEMO_STAFF = (
    DemoAccount("owner@maison-lumiere.example.com", "Camille Laurent", Role.owner),
    DemoAccount("animator@maison-lumiere.example.com", "Léa Martin", Role.animator),
    DemoAccount("observer@maison-lumiere.example.com", "Hugo Bernard", Role.observer),
)


async def load_demo(session: AsyncSession) -> bool:
    """Create the demo data unless it exists; return whether anything was created."""
    organization = await session.scalar(
        select(Organization).where(Organization.name == DEMO_ORGANIZATION)
    )
    created = organization is None
    if organization is None:
        organization = Organization(name=DEMO_ORGANIZATION)
        session.add(organization)
        await session.flush()
    password_hash = await hash_password(DEMO_PASSWORD)
    for account in DEMO_STAFF:
        user = await session.scalar(select(User).where(User.email == account.email))
        if user is None:
            user = User(
                email=account.email, display_name=account.display_name, password_hash=password_hash
            )
            session.add(user)
            await session.flush()
            created = True
        membership = await session.scalar(
            select(Membership).where(
                Membership.organization_id == organization.id, Membership.user_id == user.id
            )
        )
        if membership is None:
            session.add(
                Membership(organization_id=organization.id, user_id=user.id, role=account.role)
            )
            created = True
    await session.flush()
    return created
