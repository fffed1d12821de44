"""An animator creates a space and invites by CSV; the invitee joins from the e-mail."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Browser, Page, expect

from causerie.demo import DEMO_PASSWORD, DEMO_STAFF
from tests.e2e.conftest import LiveServer, assert_accessible
from tests.support.smtp import SmtpServer

pytestmark = pytest.mark.e2e
ANIMATOR = DEMO_STAFF[1]
CSV = "email;segments;display_name\n{invitee};;Nora\nnot-an-email;;\n"
LINK = re.compile(r"https?://[^\s]+/invitations/[A-Za-z0-9_-]+")


async def _invitation_link(smtp: SmtpServer, recipient: str) -> str:
    """Wait (on the SMTP server's condition, no sleeps) for the e-mail to ``recipient``."""
    for expected in range(len(smtp.received), len(smtp.received) + 20):
        for received in await smtp.wait_for(expected):
            if recipient in received.rcpt_tos:
                match = LINK.search(received.part("text/plain"))
                assert match, received.part("text/plain")
                return match.group(0)
    raise AssertionError(f"no invitation e-mail reached {recipient}")


async def test_animator_invites_by_csv_and_the_invitee_joins_from_the_email(
    page: Page, browser: Browser, live_server: LiveServer, viewport: dict[str, object]
) -> None:
    size = "phone" if viewport.get("is_mobile") else "desktop"
    title = f"Atelier {size}"
    invitee = f"nora.{size}@example.com"

    await page.goto(f"{live_server.url}/login")
    await page.get_by_label("Email").fill(ANIMATOR.email)
    await page.get_by_label("Password").fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Sign in", exact=True).click()
    await page.get_by_role("link", name="Maison Lumière").click()
    await page.get_by_role("link", name="Spaces", exact=True).click()
    await expect(page.get_by_role("heading", level=1, name="Spaces")).to_be_visible()
    await page.get_by_role("link", name="New space").click()
    await page.get_by_label("Title").fill(title)
    await page.get_by_label("Welcome message").fill("Bienvenue dans **l'atelier**.")
    await page.get_by_label("Terms of participation").fill("Vos avis restent entre nous.")
    await assert_accessible(page, "new space")
    await page.get_by_role("button", name="Create space").click()
    await expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    await page.get_by_role("button", name="Open the space").click()
    confirm = page.get_by_role("dialog")
    if await confirm.count():
        await confirm.get_by_role("button", name=re.compile("Open", re.I)).click()
    await expect(page.get_by_role("button", name="Close the space")).to_be_visible()

    await page.get_by_role("tab", name="Invitations").click()
    await page.get_by_label("CSV file").set_input_files(
        files=[
            {
                "name": "invites.csv",
                "mimeType": "text/csv",
                "buffer": CSV.format(invitee=invitee).encode(),
            }
        ]
    )
    await page.get_by_role("button", name="Upload and preview").click()
    preview = page.get_by_role("table", name=re.compile(r"Import preview: 2 rows"))
    await expect(preview).to_contain_text(invitee)
    await expect(preview).to_contain_text("This e-mail address is not valid.")
    await assert_accessible(page, "import preview")
    await page.get_by_role("button", name="Send 1 invitation").click()
    await expect(page.get_by_text("Invitations sent: 1. Rows skipped: 1.")).to_be_visible()

    link = await _invitation_link(live_server.smtp, invitee)
    assert link.startswith(live_server.url)

    context = await browser.new_context(**viewport)  # type: ignore[arg-type]
    guest = await context.new_page()
    try:
        await guest.goto(link)
        await expect(
            guest.get_by_role("heading", level=1, name=f"You are invited to {title}")
        ).to_be_visible()
        await assert_accessible(guest, "invitation landing")
        await guest.get_by_label("Pseudonym").fill(f"Nora {size}")
        await guest.get_by_label("I accept the terms of participation").check()
        await guest.get_by_role("button", name="Join the space").click()
        await expect(guest).to_have_url(re.compile(r"/me/spaces/[0-9a-f-]{36}$"))
        await expect(guest.get_by_role("heading", level=1, name=title)).to_be_visible()
        await expect(guest.get_by_text(f"Nora {size}").first).to_be_visible()
        await assert_accessible(guest, "participant space")
        await guest.goto(link)
        await expect(
            guest.get_by_role("heading", level=1, name="This invitation was already used")
        ).to_be_visible()
    finally:
        await context.close()
