"""Single invitations, the e-mail they send, token rules and joining a space."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import httpx
from sqlalchemy import func, select, update

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import Invitation, OutboxMessage, Participant, participant_segment
from tests.invitations.conftest import Club, delivered_token, invite
from tests.support.factories import auth_headers
from tests.support.smtp import SmtpServer

JOIN = {"pseudonym": "Rose des vents", "accept_terms": True}


def _endpoints(club: Club) -> list[tuple[str, str, dict[str, object] | None]]:
    base = f"/api/v1/spaces/{club.space_id}/invitations"
    return [
        ("GET", base, None),
        ("POST", base, {"email": "x@example.com"}),
        ("GET", f"/api/v1/organizations/{club.organization_id}/invitations", None),
        (
            "POST",
            f"/api/v1/organizations/{club.organization_id}/invitations",
            {"email": "x@example.com", "role": "animator"},
        ),
    ]


async def test_invitation_endpoints_require_authentication(
    client: httpx.AsyncClient, club: Club
) -> None:
    for method, url, body in _endpoints(club):
        response = await client.request(method, url, json=body)
        assert response.status_code == 401, (method, url)


async def test_foreign_organization_gets_404_and_observers_403(
    client: httpx.AsyncClient, club: Club, settings: Settings
) -> None:
    for method, url, body in _endpoints(club):
        foreign = await client.request(
            method, url, json=body, headers=club.headers(settings, "outsider")
        )
        assert foreign.status_code == 404, (method, url, foreign.text)
        observer = await client.request(
            method, url, json=body, headers=club.headers(settings, "observer")
        )
        assert observer.status_code == 403, (method, url, observer.text)
    # Staff invitations are for owners only.
    for method, url, body in _endpoints(club)[2:]:
        animator = await client.request(
            method, url, json=body, headers=club.headers(settings, "animator")
        )
        assert animator.status_code == 403


async def test_revoke_and_resend_are_hidden_from_other_organizations(
    client: httpx.AsyncClient, club: Club, settings: Settings
) -> None:
    created = (await invite(client, club, settings, "a@example.com")).json()
    for action in ("revoke", "resend"):
        url = f"/api/v1/invitations/{created['id']}/{action}"
        assert (await client.post(url)).status_code == 401
        foreign = await client.post(url, headers=club.headers(settings, "outsider"))
        assert foreign.status_code == 404
        observer = await client.post(url, headers=club.headers(settings, "observer"))
        assert observer.status_code == 403


async def test_invitation_sends_a_branded_multipart_email_in_the_space_language(
    client: httpx.AsyncClient,
    club: Club,
    settings: Settings,
    db: Database,
    smtp_server: SmtpServer,
) -> None:
    response = await invite(
        client,
        club,
        settings,
        "Rose@Example.com",
        segment_ids=[str(club.vip)],
        message="Votre avis compte beaucoup <b>pour nous</b>",
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["email"] == "rose@example.com"
    assert body["status"] == "pending"
    assert body["segment_ids"] == [str(club.vip)]

    token = await delivered_token(db, settings, smtp_server, "rose@example.com")
    (received,) = smtp_server.received
    assert received.message["Subject"] == "Maison Lumière vous invite à rejoindre Club Lumière"
    text, html = received.part("text/plain"), received.part("text/html")
    assert f"{settings.public_base_url}/invitations/{token}" in text
    assert f'href="{settings.public_base_url}/invitations/{token}"' in html
    assert "#aa3355" in html
    assert "<b>pour nous</b>" not in html, "the personal message is escaped"
    async with db.reader() as session:
        stored = await session.scalar(select(Invitation.token_hash))
    assert stored is not None
    assert token not in stored, "only a hash of the token is stored"


async def test_unknown_segment_is_refused_and_nothing_is_queued(
    client: httpx.AsyncClient, club: Club, settings: Settings, db: Database
) -> None:
    response = await invite(
        client, club, settings, "x@example.com", segment_ids=[str(club.organization_id)]
    )
    assert response.status_code == 422
    assert response.json()["code"] == "segment.unknown"
    async with db.reader() as session:
        assert await session.scalar(select(func.count()).select_from(Invitation)) == 0
        assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


async def test_public_preview_then_join_lands_the_person_in_the_space(
    client: httpx.AsyncClient,
    club: Club,
    settings: Settings,
    db: Database,
    smtp_server: SmtpServer,
) -> None:
    await invite(client, club, settings, "rose@example.com", segment_ids=[str(club.vip)])
    token = await delivered_token(db, settings, smtp_server, "rose@example.com")

    preview = await client.get(f"/api/v1/invitations/{token}")
    assert preview.status_code == 200, preview.text
    page = preview.json()
    assert page["space"]["title"] == "Club Lumière"
    assert page["space"]["accent_color"] == "#aa3355"
    assert page["space"]["welcome_html"] == "<p>Bienvenue <strong>à vous</strong></p>\n"
    assert page["organization_name"] == "Maison Lumière"
    assert page["account_exists"] is False

    joined = await client.post(
        f"/api/v1/invitations/{token}", json={**JOIN, "password": "a-long-password"}
    )
    assert joined.status_code == 200, joined.text
    assert joined.json()["space_id"] == str(club.space_id)
    assert "causerie_refresh=" in joined.headers["set-cookie"]
    headers = {"Authorization": f"Bearer {joined.json()['access_token']}"}
    mine = (await client.get("/api/v1/me/spaces", headers=headers)).json()["items"]
    assert [(s["title"], s["pseudonym"], s["segments"]) for s in mine] == [
        ("Club Lumière", "Rose des vents", ["VIP"])
    ]
    async with db.reader() as session:
        participant = await session.scalar(select(Participant))
        assert participant is not None
        assert participant.consent_terms_version == 1
        assert participant.consent_at is not None
    login = await client.post(
        "/api/v1/auth/login", json={"email": "rose@example.com", "password": "a-long-password"}
    )
    assert login.status_code == 200, "the chosen password works"


async def test_joining_needs_terms_and_a_pseudonym_and_changes_nothing_otherwise(
    client: httpx.AsyncClient,
    club: Club,
    settings: Settings,
    db: Database,
    smtp_server: SmtpServer,
) -> None:
    await invite(client, club, settings, "rose@example.com")
    token = await delivered_token(db, settings, smtp_server, "rose@example.com")
    no_terms = await client.post(f"/api/v1/invitations/{token}", json={"pseudonym": "Rose"})
    assert no_terms.status_code == 422
    assert no_terms.json()["code"] == "invitation.terms_required"
    no_name = await client.post(f"/api/v1/invitations/{token}", json={"accept_terms": True})
    assert no_name.json()["code"] == "invitation.pseudonym_required"
    assert (await client.get(f"/api/v1/invitations/{token}")).status_code == 200, "still usable"


async def test_a_taken_pseudonym_is_refused_and_the_invitation_stays_usable(
    client: httpx.AsyncClient,
    club: Club,
    settings: Settings,
    db: Database,
    smtp_server: SmtpServer,
) -> None:
    await invite(client, club, settings, "first@example.com")
    first = await delivered_token(db, settings, smtp_server, "first@example.com")
    assert (await client.post(f"/api/v1/invitations/{first}", json=JOIN)).status_code == 200
    await invite(client, club, settings, "second@example.com")
    second = await delivered_token(db, settings, smtp_server, "second@example.com")
    clash = await client.post(
        f"/api/v1/invitations/{second}", json={**JOIN, "pseudonym": "ROSE  des Vents"}
    )
    assert clash.status_code == 409
    assert clash.json()["code"] == "participant.pseudonym_taken"
    retry = await client.post(f"/api/v1/invitations/{second}", json={**JOIN, "pseudonym": "Iris"})
    assert retry.status_code == 200


async def test_used_expired_revoked_and_replaced_tokens_answer_410(
    client: httpx.AsyncClient,
    club: Club,
    settings: Settings,
    db: Database,
    smtp_server: SmtpServer,
) -> None:
    await invite(client, club, settings, "used@example.com")
    used = await delivered_token(db, settings, smtp_server, "used@example.com")
    assert (await client.post(f"/api/v1/invitations/{used}", json=JOIN)).status_code == 200

    expired_inv = (await invite(client, club, settings, "expired@example.com")).json()
    expired = await delivered_token(db, settings, smtp_server, "expired@example.com")
    async with db.writer() as session, session.begin():
        await session.execute(
            update(Invitation)
            .where(Invitation.id == uuid.UUID(expired_inv["id"]))
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )

    revoked_inv = (await invite(client, club, settings, "revoked@example.com")).json()
    revoked = await delivered_token(db, settings, smtp_server, "revoked@example.com")
    revoke = await client.post(
        f"/api/v1/invitations/{revoked_inv['id']}/revoke",
        headers=club.headers(settings, "animator"),
    )
    assert revoke.json()["status"] == "revoked"

    replaced_inv = (await invite(client, club, settings, "replaced@example.com")).json()
    replaced = await delivered_token(db, settings, smtp_server, "replaced@example.com")
    resent = await client.post(
        f"/api/v1/invitations/{replaced_inv['id']}/resend",
        headers=club.headers(settings, "animator"),
    )
    assert resent.status_code == 200
    fresh = await delivered_token(db, settings, smtp_server, "replaced@example.com")
    assert fresh != replaced

    for token, code in [
        (used, "invitation.used"),
        (expired, "invitation.expired"),
        (revoked, "invitation.revoked"),
        (replaced, "invitation.replaced"),
    ]:
        for method in ("GET", "POST"):
            response = await client.request(
                method, f"/api/v1/invitations/{token}", json=JOIN if method == "POST" else None
            )
            assert response.status_code == 410, (code, method, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            assert response.json()["code"] == code
    joined = await client.post(f"/api/v1/invitations/{fresh}", json={**JOIN, "pseudonym": "Iris"})
    assert joined.status_code == 200
    unknown = await client.get("/api/v1/invitations/" + "x" * 43)
    assert unknown.status_code == 404


async def test_expired_invitation_can_be_resent_with_a_fresh_expiry(
    client: httpx.AsyncClient,
    club: Club,
    settings: Settings,
    db: Database,
) -> None:
    created = (await invite(client, club, settings, "late@example.com")).json()
    async with db.writer() as session, session.begin():
        await session.execute(update(Invitation).values(expires_at=utcnow() - timedelta(days=1)))
    listed = await client.get(
        f"/api/v1/spaces/{club.space_id}/invitations",
        params={"status": "expired"},
        headers=club.headers(settings, "animator"),
    )
    assert [item["email"] for item in listed.json()["items"]] == ["late@example.com"]
    resent = await client.post(
        f"/api/v1/invitations/{created['id']}/resend", headers=club.headers(settings, "owner")
    )
    assert resent.json()["status"] == "pending"
    assert resent.json()["send_count"] == 2


async def test_twenty_concurrent_accepts_of_one_token_let_exactly_one_in(
    client: httpx.AsyncClient,
    club: Club,
    settings: Settings,
    db: Database,
    smtp_server: SmtpServer,
) -> None:
    await invite(client, club, settings, "race@example.com")
    token = await delivered_token(db, settings, smtp_server, "race@example.com")
    results = await asyncio.gather(
        *(
            client.post(
                f"/api/v1/invitations/{token}", json={**JOIN, "pseudonym": f"Racer {index}"}
            )
            for index in range(20)
        )
    )
    codes = sorted(response.status_code for response in results)
    assert codes.count(200) == 1, codes
    assert all(code in (200, 410) for code in codes), [
        r.text for r in results if r.status_code >= 500
    ]
    async with db.reader() as session:
        assert await session.scalar(select(func.count()).select_from(Participant)) == 1


async def test_an_address_cannot_be_invited_twice_or_once_it_takes_part(
    client: httpx.AsyncClient,
    club: Club,
    settings: Settings,
    db: Database,
    smtp_server: SmtpServer,
) -> None:
    assert (await invite(client, club, settings, "twice@example.com")).status_code == 201
    again = await invite(client, club, settings, "Twice@example.com")
    assert again.status_code == 409
    assert again.json()["code"] == "invitation.already_pending"
    token = await delivered_token(db, settings, smtp_server, "twice@example.com")
    assert (await client.post(f"/api/v1/invitations/{token}", json=JOIN)).status_code == 200
    member = await invite(client, club, settings, "twice@example.com")
    assert member.status_code == 409
    assert member.json()["code"] == "invitation.already_participant"


async def test_joining_a_closed_space_is_refused(
    client: httpx.AsyncClient,
    club: Club,
    settings: Settings,
    db: Database,
    smtp_server: SmtpServer,
) -> None:
    await invite(client, club, settings, "late@example.com")
    token = await delivered_token(db, settings, smtp_server, "late@example.com")
    closed = await client.patch(
        f"/api/v1/spaces/{club.space_id}",
        json={"status": "closed"},
        headers=club.headers(settings, "owner"),
    )
    assert closed.status_code == 200
    response = await client.post(f"/api/v1/invitations/{token}", json=JOIN)
    assert response.status_code == 410
    assert response.json()["code"] == "invitation.space_closed"


async def test_staff_invitation_makes_a_member_with_the_chosen_role(
    client: httpx.AsyncClient,
    club: Club,
    settings: Settings,
    db: Database,
    smtp_server: SmtpServer,
) -> None:
    created = await client.post(
        f"/api/v1/organizations/{club.organization_id}/invitations",
        json={"email": "new.animator@lumiere.example.com", "role": "animator", "language": "fr"},
        headers=club.headers(settings, "owner"),
    )
    assert created.status_code == 201, created.text
    token = await delivered_token(db, settings, smtp_server, "new.animator@lumiere.example.com")
    assert smtp_server.received[-1].message["Subject"] == "Rejoignez Maison Lumière sur Causerie"
    preview = (await client.get(f"/api/v1/invitations/{token}")).json()
    assert preview["kind"] == "staff"
    assert preview["space"] is None
    joined = await client.post(
        f"/api/v1/invitations/{token}", json={"display_name": "Nouvelle Animatrice"}
    )
    assert joined.status_code == 200, joined.text
    headers = {"Authorization": f"Bearer {joined.json()['access_token']}"}
    me = (await client.get("/api/v1/me", headers=headers)).json()
    assert me["display_name"] == "Nouvelle Animatrice"
    assert [(m["organization_name"], m["role"]) for m in me["memberships"]] == [
        ("Maison Lumière", "animator")
    ]


async def test_segments_of_the_invitation_follow_the_participant(
    client: httpx.AsyncClient,
    club: Club,
    settings: Settings,
    db: Database,
    smtp_server: SmtpServer,
) -> None:
    await invite(
        client,
        club,
        settings,
        "both@example.com",
        segment_ids=[str(club.vip), str(club.prospects)],
    )
    token = await delivered_token(db, settings, smtp_server, "both@example.com")
    assert (await client.post(f"/api/v1/invitations/{token}", json=JOIN)).status_code == 200
    async with db.reader() as session:
        segments = set((await session.scalars(select(participant_segment.c.segment_id))).all())
    assert segments == {club.vip, club.prospects}
    participants = await client.get(
        f"/api/v1/spaces/{club.space_id}/participants",
        headers=auth_headers(settings, club.observer),
    )
    assert participants.json()["items"][0]["email"] is None, "observers never see addresses"
