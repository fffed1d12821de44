"""An invitation link never hands over an account that existed before it.

The scenario of issue 9: the owner of organization B invites the address of organization
A's owner. Whoever holds the link (it travels by e-mail, which others may read) must not
be signed in as A's owner, set A's owner's password, or make A's owner a member of B.
The invited person accepts by signing in as themselves first.
"""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import Invitation, InvitationStatus, Membership, Participant, Role, User
from tests.invitations.conftest import Club, delivered_token, invite
from tests.support.factories import PASSWORD, UserInfo, create_user
from tests.support.smtp import SmtpServer

JOIN = {"pseudonym": "Rose des vents", "accept_terms": True}


async def _sign_in(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> str:
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    client.cookies.clear()
    return str(response.json()["access_token"])


async def _password_hash(db: Database, email: str) -> str | None:
    async with db.reader() as session:
        return await session.scalar(select(User.password_hash).where(User.email == email))


async def _invitation_status(db: Database, email: str) -> list[InvitationStatus]:
    async with db.reader() as session:
        return list(
            await session.scalars(select(Invitation.status).where(Invitation.email == email))
        )


async def _memberships(db: Database, user: UserInfo) -> int:
    async with db.reader() as session:
        return int(
            await session.scalar(
                select(func.count())
                .select_from(Membership)
                .where(Membership.user_id == user.id, Membership.deleted_at.is_(None))
            )
            or 0
        )


async def _participations(db: Database, user: UserInfo) -> int:
    async with db.reader() as session:
        return int(
            await session.scalar(
                select(func.count()).select_from(Participant).where(Participant.user_id == user.id)
            )
            or 0
        )


async def test_another_brand_cannot_take_over_an_owner_through_a_space_invitation(
    client: httpx.AsyncClient,
    club: Club,
    settings: Settings,
    db: Database,
    smtp_server: SmtpServer,
) -> None:
    # ``club.outsider`` owns organization "Other"; Maison Lumière's animator invites them.
    victim = club.outsider
    before = await _password_hash(db, victim.email)
    assert (await invite(client, club, settings, victim.email)).status_code == 201
    token = await delivered_token(db, settings, smtp_server, victim.email)

    # The inviting brand's owner reads its sent e-mails: the link is not there.
    owner = club.headers(settings, "owner")
    listed = await client.get(f"/api/v1/organizations/{club.organization_id}/emails", headers=owner)
    assert listed.status_code == 200
    assert listed.json()["items"], "the invitation e-mail is listed"
    assert token not in listed.text
    for item in listed.json()["items"]:
        detail = await client.get(
            f"/api/v1/organizations/{club.organization_id}/emails/{item['id']}", headers=owner
        )
        assert detail.status_code == 200
        assert token not in detail.text

    # Whoever holds the link anyway gets no session and changes nothing.
    preview = await client.get(f"/api/v1/invitations/{token}")
    assert preview.json()["account_exists"] is True
    taken = await client.post(
        f"/api/v1/invitations/{token}", json={**JOIN, "password": "attacker-password"}
    )
    assert taken.status_code == 401, taken.text
    assert taken.json()["code"] == "invitation.sign_in_required"
    assert "set-cookie" not in taken.headers
    assert "access_token" not in taken.text
    assert await _password_hash(db, victim.email) == before
    assert await _participations(db, victim) == 0
    assert await _invitation_status(db, victim.email) == [InvitationStatus.pending]
    wrong = await client.post(
        "/api/v1/auth/login", json={"email": victim.email, "password": "attacker-password"}
    )
    assert wrong.status_code == 401, "the redeemer's password was not set"

    # The invited person signs in as themselves and joins; no new session is handed out.
    access = await _sign_in(client, victim.email)
    joined = await client.post(
        f"/api/v1/invitations/{token}",
        json=JOIN,
        headers={"Authorization": f"Bearer {access}"},
    )
    assert joined.status_code == 200, joined.text
    assert joined.json()["signed_in"] is False
    assert joined.json()["access_token"] is None
    assert "set-cookie" not in joined.headers
    assert await _participations(db, victim) == 1
    assert await _password_hash(db, victim.email) == before


async def test_a_staff_invitation_does_not_make_an_existing_account_a_member_without_it(
    client: httpx.AsyncClient,
    club: Club,
    settings: Settings,
    db: Database,
    smtp_server: SmtpServer,
) -> None:
    victim = club.outsider
    created = await client.post(
        f"/api/v1/organizations/{club.organization_id}/invitations",
        json={"email": victim.email, "role": "owner"},
        headers=club.headers(settings, "owner"),
    )
    assert created.status_code == 201, created.text
    token = await delivered_token(db, settings, smtp_server, victim.email)
    memberships = await _memberships(db, victim)

    taken = await client.post(f"/api/v1/invitations/{token}", json={"display_name": "Mallory"})
    assert taken.status_code == 401
    assert taken.json()["code"] == "invitation.sign_in_required"
    assert "set-cookie" not in taken.headers
    assert await _memberships(db, victim) == memberships, "not a member of the inviting brand"
    async with db.reader() as session:
        name = await session.scalar(select(User.display_name).where(User.id == victim.id))
    assert name == victim.display_name

    access = await _sign_in(client, victim.email)
    joined = await client.post(
        f"/api/v1/invitations/{token}", json={}, headers={"Authorization": f"Bearer {access}"}
    )
    assert joined.status_code == 200, joined.text
    assert joined.json()["signed_in"] is False
    async with db.reader() as session:
        role = await session.scalar(
            select(Membership.role).where(
                Membership.user_id == victim.id,
                Membership.organization_id == club.organization_id,
            )
        )
    assert role is Role.owner


async def test_a_password_less_account_is_not_given_the_redeemers_password(
    client: httpx.AsyncClient,
    club: Club,
    settings: Settings,
    db: Database,
    smtp_server: SmtpServer,
) -> None:
    # A participant elsewhere who only ever signs in with e-mail links.
    victim = await create_user(db, email="linkonly@example.com", with_password=False)
    await invite(client, club, settings, victim.email)
    token = await delivered_token(db, settings, smtp_server, victim.email)

    taken = await client.post(
        f"/api/v1/invitations/{token}", json={**JOIN, "password": "attacker-password"}
    )
    assert taken.status_code == 401
    assert taken.json()["code"] == "invitation.sign_in_required"
    assert await _password_hash(db, victim.email) is None
    login = await client.post(
        "/api/v1/auth/login", json={"email": victim.email, "password": "attacker-password"}
    )
    assert login.status_code == 401


async def test_an_account_created_after_the_link_was_sent_is_not_signed_in_either(
    client: httpx.AsyncClient,
    club: Club,
    settings: Settings,
    db: Database,
    smtp_server: SmtpServer,
) -> None:
    await invite(client, club, settings, "late@example.com")
    token = await delivered_token(db, settings, smtp_server, "late@example.com")
    assert (await client.get(f"/api/v1/invitations/{token}")).json()["account_exists"] is False
    await create_user(db, email="late@example.com")

    taken = await client.post(f"/api/v1/invitations/{token}", json=JOIN)
    assert taken.status_code == 401
    assert taken.json()["code"] == "invitation.sign_in_required"
    assert "set-cookie" not in taken.headers


async def test_signed_in_as_another_address_the_invitation_is_refused(
    client: httpx.AsyncClient,
    club: Club,
    settings: Settings,
    db: Database,
    smtp_server: SmtpServer,
) -> None:
    await invite(client, club, settings, "rose@example.com")
    token = await delivered_token(db, settings, smtp_server, "rose@example.com")
    access = await _sign_in(client, club.outsider.email)

    refused = await client.post(
        f"/api/v1/invitations/{token}", json=JOIN, headers={"Authorization": f"Bearer {access}"}
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "invitation.other_account"
    assert await _participations(db, club.outsider) == 0
    assert await _invitation_status(db, "rose@example.com") == [InvitationStatus.pending]
    async with db.reader() as session:
        assert await session.scalar(select(User.id).where(User.email == "rose@example.com")) is None


async def test_a_signed_in_invitee_cannot_set_a_password_through_the_link(
    client: httpx.AsyncClient,
    club: Club,
    settings: Settings,
    db: Database,
    smtp_server: SmtpServer,
) -> None:
    known = await create_user(db, email="known@example.com")
    before = await _password_hash(db, known.email)
    await invite(client, club, settings, known.email)
    token = await delivered_token(db, settings, smtp_server, known.email)
    access = await _sign_in(client, known.email)

    refused = await client.post(
        f"/api/v1/invitations/{token}",
        json={**JOIN, "password": "another-password"},
        headers={"Authorization": f"Bearer {access}"},
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "invitation.password_not_accepted"
    assert await _password_hash(db, known.email) == before
    assert await _invitation_status(db, known.email) == [InvitationStatus.pending]


async def test_only_the_account_the_invitation_creates_is_signed_in(
    client: httpx.AsyncClient,
    club: Club,
    settings: Settings,
    db: Database,
    smtp_server: SmtpServer,
) -> None:
    await invite(client, club, settings, "newcomer@example.com")
    token = await delivered_token(db, settings, smtp_server, "newcomer@example.com")

    joined = await client.post(f"/api/v1/invitations/{token}", json=JOIN)
    assert joined.status_code == 200, joined.text
    body = joined.json()
    assert body["signed_in"] is True
    assert body["access_token"]
    assert "causerie_refresh=" in joined.headers["set-cookie"]
    async with db.reader() as session:
        user = await session.scalar(select(User).where(User.email == "newcomer@example.com"))
    assert user is not None
    assert user.password_hash is None, "no password was chosen"
