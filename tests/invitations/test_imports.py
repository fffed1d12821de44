"""CSV invitations: a preview of every row, then a commit of the valid ones."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import Invitation, OutboxMessage, invitation_segment
from tests.invitations.conftest import Club, delivered_token, invite
from tests.support.smtp import SmtpServer

JOIN = {"pseudonym": "Déjà là", "accept_terms": True}


async def _upload(
    client: httpx.AsyncClient, club: Club, settings: Settings, data: bytes, who: str = "animator"
) -> httpx.Response:
    return await client.post(
        f"/api/v1/spaces/{club.space_id}/invitations/import",
        files={"file": ("invités.csv", data, "text/csv")},
        headers=club.headers(settings, who),
    )


async def _commit(
    client: httpx.AsyncClient, club: Club, settings: Settings, import_id: str
) -> httpx.Response:
    return await client.post(
        f"/api/v1/spaces/{club.space_id}/invitations/import/{import_id}/commit",
        headers=club.headers(settings, "animator"),
    )


async def test_preview_reads_bom_semicolons_and_any_header_case_and_lists_every_row(
    client: httpx.AsyncClient,
    club: Club,
    settings: Settings,
    db: Database,
    smtp_server: SmtpServer,
) -> None:
    await invite(client, club, settings, "pending@example.com")
    await invite(client, club, settings, "member@example.com")
    token = await delivered_token(db, settings, smtp_server, "member@example.com")
    assert (await client.post(f"/api/v1/invitations/{token}", json=JOIN)).status_code == 200

    csv_text = (
        "Display_Name;E-Mail;SEGMENTS\n"
        "Alice Martin;alice@example.com;VIP\n"
        "Bob;BOB@example.com;vip|prospects\n"
        "Alice again;Alice@Example.com;\n"
        "Nobody;not-an-address;VIP\n"
        "Carol;carol@example.com;Unknown\n"
        "Member;member@example.com;\n"
        "Pending;pending@example.com;\n"
        ";;\n"
    )
    response = await _upload(client, club, settings, "\ufeff".encode() + csv_text.encode())
    assert response.status_code == 201, response.text
    preview = response.json()
    rows = {(row["line"], row["email"]): row for row in preview["rows"]}
    assert [(line, row["status"]) for (line, _), row in sorted(rows.items())] == [
        (2, "ok"),
        (3, "ok"),
        (4, "duplicate"),
        (5, "invalid"),
        (6, "invalid"),
        (7, "already_participant"),
        (8, "already_invited"),
    ]
    assert rows[(3, "bob@example.com")]["segments"] == ["VIP", "Prospects"]
    assert rows[(2, "alice@example.com")]["display_name"] == "Alice Martin"
    assert "Unknown segment" in rows[(6, "carol@example.com")]["reason"]
    assert "Invalid e-mail" in rows[(5, "not-an-address")]["reason"]
    # Codes for clients to word the reasons in their own language (the English is a courtesy).
    assert {line: (row["reason_code"], row["reason_value"]) for (line, _), row in rows.items()} == {
        2: (None, None),
        3: (None, None),
        4: ("duplicate", None),
        5: ("invalid_email", None),
        6: ("unknown_segment", "Unknown"),
        7: ("already_participant", None),
        8: ("already_invited", None),
    }
    assert preview["total"] == 7
    assert preview["valid"] == 2
    assert preview["counts"] == {
        "ok": 2,
        "duplicate": 1,
        "already_participant": 1,
        "already_invited": 1,
        "invalid": 2,
    }
    async with db.reader() as session:
        assert await session.scalar(select(func.count()).select_from(Invitation)) == 2, (
            "a preview invites nobody"
        )


async def test_commit_invites_the_valid_rows_once_and_emails_them(
    client: httpx.AsyncClient,
    club: Club,
    settings: Settings,
    db: Database,
    smtp_server: SmtpServer,
) -> None:
    data = b"email,segments,display_name\nann@example.com,VIP,Ann\nbea@example.com,,\nbad,,\n"
    preview = (await _upload(client, club, settings, data)).json()
    committed = await _commit(client, club, settings, preview["id"])
    assert committed.status_code == 200, committed.text
    assert committed.json()["created"] == 2
    assert committed.json()["skipped"] == 1
    again = await _commit(client, club, settings, preview["id"])
    assert again.status_code == 409
    assert again.json()["code"] == "import.committed"

    token = await delivered_token(db, settings, smtp_server, "ann@example.com")
    assert sorted(r.rcpt_tos[0] for r in smtp_server.received) == [
        "ann@example.com",
        "bea@example.com",
    ]
    joined = await client.post(
        f"/api/v1/invitations/{token}", json={"pseudonym": "Ann", "accept_terms": True}
    )
    assert joined.status_code == 200
    headers = {"Authorization": f"Bearer {joined.json()['access_token']}"}
    mine = (await client.get("/api/v1/me/spaces", headers=headers)).json()["items"]
    assert mine[0]["segments"] == ["VIP"]


async def test_rows_that_became_invalid_between_preview_and_commit_are_skipped(
    client: httpx.AsyncClient, club: Club, settings: Settings
) -> None:
    preview = (await _upload(client, club, settings, b"late@example.com\n")).json()
    assert preview["valid"] == 1
    assert (await invite(client, club, settings, "late@example.com")).status_code == 201
    committed = (await _commit(client, club, settings, preview["id"])).json()
    assert committed["created"] == 0


async def test_unreadable_files_are_refused_with_a_clear_problem(
    client: httpx.AsyncClient, club: Club, settings: Settings, db: Database
) -> None:
    for data in [b"", b"\n\n", b"a,b\x00c\n", b'"unterminated,quote\n' * 3]:
        response = await _upload(client, club, settings, data)
        if response.status_code == 201:  # a lenient parse must still flag every row
            assert all(row["status"] == "invalid" for row in response.json()["rows"])
            continue
        assert response.status_code == 422, response.text
        assert response.json()["code"] == "import.invalid_csv"
    observer = await _upload(client, club, settings, b"a@example.com\n", who="observer")
    assert observer.status_code == 403
    foreign = await _upload(client, club, settings, b"a@example.com\n", who="outsider")
    assert foreign.status_code == 404
    async with db.reader() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


async def test_ten_thousand_rows_preview_and_commit(
    client: httpx.AsyncClient, club: Club, settings: Settings, db: Database
) -> None:
    lines = ["email;segments;display_name"] + [
        f"person{index}@example.com;{'VIP' if index % 2 else 'Prospects'};Person {index}"
        for index in range(10_000)
    ]
    preview = await _upload(client, club, settings, "\n".join(lines).encode())
    assert preview.status_code == 201, preview.text
    assert preview.json()["valid"] == 10_000
    committed = await _commit(client, club, settings, preview.json()["id"])
    assert committed.status_code == 200
    assert committed.json()["created"] == 10_000
    async with db.reader() as session:
        assert await session.scalar(select(func.count()).select_from(Invitation)) == 10_000
        assert await session.scalar(select(func.count()).select_from(invitation_segment)) == 10_000
        assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 10_000


async def test_import_endpoints_answer_401_404_403(
    client: httpx.AsyncClient, club: Club, settings: Settings
) -> None:
    preview = (await _upload(client, club, settings, b"a@example.com\n")).json()
    base = f"/api/v1/spaces/{club.space_id}/invitations/import"
    calls = [
        ("POST", base, {"files": {"file": ("a.csv", b"b@example.com\n", "text/csv")}}),
        ("GET", f"{base}/{preview['id']}", {}),
        ("POST", f"{base}/{preview['id']}/commit", {}),
    ]
    for method, url, extra in calls:
        assert (await client.request(method, url, **extra)).status_code == 401, url
        for who, expected in (("outsider", 404), ("observer", 403)):
            response = await client.request(
                method, url, headers=club.headers(settings, who), **extra
            )
            assert response.status_code == expected, (who, url, response.text)
    read = await client.get(f"{base}/{preview['id']}", headers=club.headers(settings, "owner"))
    assert read.json()["rows"][0]["email"] == "a@example.com"
    assert read.json()["committed"] is False


async def test_concurrent_commits_and_invites_never_duplicate_invitations(
    client: httpx.AsyncClient, club: Club, settings: Settings, db: Database
) -> None:
    import asyncio

    preview = (await _upload(client, club, settings, b"one@example.com\ntwo@example.com\n")).json()
    commits = await asyncio.gather(
        *(_commit(client, club, settings, preview["id"]) for _ in range(3))
    )
    assert sorted(r.status_code for r in commits) == [200, 409, 409]
    invites = await asyncio.gather(
        *(invite(client, club, settings, "dup@example.com") for _ in range(3))
    )
    assert sorted(r.status_code for r in invites) == [201, 409, 409]
    async with db.reader() as session:
        assert await session.scalar(select(func.count()).select_from(Invitation)) == 3
        assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 3
