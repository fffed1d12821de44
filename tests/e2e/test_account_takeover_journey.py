"""Issue 9's takeover, tried in a browser: another brand invites Maison Lumière's owner.

The other brand's owner cannot read the link in the studio; whoever opens the link anyway
is not signed in as Maison Lumière's owner; the owner joins by signing in as themselves.
"""

from __future__ import annotations

import re
import uuid

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from causerie.core.database import Database
from causerie.demo import DEMO_PASSWORD, DEMO_STAFF
from causerie.models import Role, SpaceStatus
from tests.e2e.conftest import LiveServer, assert_accessible
from tests.support.factories import PASSWORD, create_organization, create_space, create_user
from tests.support.smtp import SmtpServer

pytestmark = pytest.mark.e2e
VICTIM = DEMO_STAFF[0]  # the owner of Maison Lumière
LINK = re.compile(r"https?://[^\s]+/invitations/([A-Za-z0-9_-]+)")


async def _link_to(smtp: SmtpServer, recipient: str, subject_part: str) -> tuple[str, str]:
    """The newest invitation link e-mailed to ``recipient`` (waits on the SMTP server)."""
    for expected in range(len(smtp.received), len(smtp.received) + 20):
        for received in reversed(await smtp.wait_for(expected)):
            if recipient in received.rcpt_tos and subject_part in received.message["Subject"]:
                match = LINK.search(received.part("text/plain"))
                assert match, received.part("text/plain")
                return match.group(0), match.group(1)
    raise AssertionError(f"no invitation e-mail reached {recipient}")


async def _other_brand(live_server: LiveServer, label: str) -> tuple[str, uuid.UUID, str]:
    """Organization B with its owner and an open space; returns the owner's e-mail."""
    database = Database.from_url(live_server.database_url)
    try:
        owner = await create_user(
            database, email=f"mallory.{label}@b.example.com", display_name="Mallory"
        )
        org_id = await create_organization(
            database, name=f"Brand B {label}", members={owner: Role.owner}
        )
        space_id = await create_space(
            database, org_id, title=f"Espace B {label}", status=SpaceStatus.open
        )
    finally:
        await database.dispose()
    return owner.email, space_id, str(org_id)


async def test_another_brand_cannot_take_over_an_account_through_an_invitation(
    page: Page, browser: Browser, live_server: LiveServer, viewport: dict[str, object]
) -> None:
    size = "phone" if viewport.get("is_mobile") else "desktop"
    attacker, space_id, org_id = await _other_brand(live_server, size)

    # Brand B's owner invites Maison Lumière's owner into B's space.
    async with httpx.AsyncClient(base_url=live_server.url) as api:
        login = await api.post("/api/v1/auth/login", json={"email": attacker, "password": PASSWORD})
        assert login.status_code == 200, login.text
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        invited = await api.post(
            f"/api/v1/spaces/{space_id}/invitations",
            json={"email": VICTIM.email},
            headers=headers,
        )
        assert invited.status_code == 201, invited.text
    link, token = await _link_to(live_server.smtp, VICTIM.email, f"Espace B {size}")

    # In the studio, B's owner sees the e-mail but not the link.
    await page.goto(f"{live_server.url}/login")
    await page.get_by_label("Email").fill(attacker)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in", exact=True).click()
    await expect(page).not_to_have_url(re.compile(r"/login"))
    await page.goto(f"{live_server.url}/organizations/{org_id}/emails")
    email_link = page.get_by_role("link", name=re.compile(f"Espace B {size}"))
    await expect(email_link.first).to_be_visible()
    await email_link.first.click()
    body = page.get_by_label("Message text")
    await expect(body).to_contain_text(VICTIM.email)
    assert token not in await body.inner_text()
    assert token not in await page.content()
    await assert_accessible(page, "sent e-mail with a masked link")

    # Someone holding the link anyway (a fresh browser): no session, no join form.
    stranger = await browser.new_context(**viewport)  # type: ignore[arg-type]
    try:
        holder = await stranger.new_page()
        await holder.goto(link)
        await expect(
            holder.get_by_role("heading", level=2, name="Sign in to accept")
        ).to_be_visible()
        await expect(holder.get_by_role("button", name="Join the space")).to_have_count(0)
        refresh = await holder.request.post(f"{live_server.url}/api/v1/auth/refresh")
        assert refresh.status == 401, "holding the link gave no session"
        await assert_accessible(holder, "invitation for an existing account")

        # The invited owner signs in as themselves from the page, then joins.
        await holder.get_by_role("link", name="Sign in with my password").click()
        await holder.get_by_label("Email").fill(VICTIM.email)
        await holder.get_by_label("Password").fill(DEMO_PASSWORD)
        await holder.get_by_role("button", name="Sign in", exact=True).click()
        await expect(
            holder.get_by_text(f"You will join with your account {VICTIM.email}.")
        ).to_be_visible()
        await holder.get_by_label("Pseudonym").fill(f"Camille {size}")
        await holder.get_by_label("I accept the terms of participation").check()
        await holder.get_by_role("button", name="Join the space").click()
        await expect(
            holder.get_by_role("heading", level=1, name=f"Espace B {size}")
        ).to_be_visible()
    finally:
        await stranger.close()
