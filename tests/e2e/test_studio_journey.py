"""The owner's first journey, in Chromium at desktop and phone sizes, checked by axe."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from causerie.demo import DEMO_PASSWORD, DEMO_STAFF
from tests.e2e.conftest import LiveServer, assert_accessible

pytestmark = pytest.mark.e2e

OWNER = DEMO_STAFF[0]
ANIMATOR = DEMO_STAFF[1]
OBSERVER = DEMO_STAFF[2]


async def _sign_in(page: Page, server: LiveServer, email: str, password: str) -> None:
    await page.goto(f"{server.url}/")
    await expect(page).to_have_url(re.compile(r"/login"))
    await expect(page.get_by_role("heading", level=1, name="Sign in to Causerie")).to_be_visible()
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()


async def test_owner_signs_in_sees_members_switches_to_french_and_signs_out(
    page: Page, live_server: LiveServer
) -> None:
    await page.goto(f"{live_server.url}/login")
    await expect(page.get_by_label("Email")).to_be_visible()
    await assert_accessible(page, "sign-in")

    await _sign_in(page, live_server, OWNER.email, "not-the-password")
    await expect(page.get_by_role("alert")).to_contain_text("Wrong e-mail or password.")
    await assert_accessible(page, "sign-in with an error")

    await page.get_by_label("Password").fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Sign in").click()

    # Home: the organization, and (as owner) its members.
    await expect(page.get_by_role("heading", level=1, name="Your organizations")).to_be_visible()
    await expect(page.get_by_role("link", name="Maison Lumière")).to_be_visible()
    members = page.get_by_role("table", name="Members of Maison Lumière")
    for account in DEMO_STAFF:
        await expect(members).to_contain_text(account.display_name)
        await expect(members).to_contain_text(account.email)
    header = page.get_by_role("banner")
    await expect(header).to_contain_text(OWNER.display_name)
    await assert_accessible(page, "home")

    # The organization switcher leads to the organization's page.
    account = header.get_by_role("button", name=OWNER.display_name, exact=True)
    await account.click()
    await page.get_by_role("menuitemradio", name="Maison Lumière").click()
    await expect(page).to_have_url(re.compile(r"/organizations/[0-9a-f-]{36}$"))
    await expect(page.get_by_role("heading", level=1, name="Maison Lumière")).to_be_visible()
    await expect(page.get_by_role("button", name="Add a member")).to_be_visible()
    await assert_accessible(page, "organization")

    # A reload keeps the session (refresh cookie), the access token lives in memory only.
    await page.reload()
    await expect(page.get_by_role("heading", level=1, name="Maison Lumière")).to_be_visible()
    stored = await page.evaluate(
        "() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage)"
    )
    assert "eyJ" not in stored, "the access token must not be kept in web storage"

    # Switch to French.
    await account.click()
    await page.get_by_role("menuitemradio", name="Français").click()
    await expect(page.locator("html")).to_have_attribute("lang", "fr")
    await expect(page.get_by_role("table", name="Membres de Maison Lumière")).to_be_visible()
    await page.goto(f"{live_server.url}/")
    await expect(page.get_by_role("heading", level=1, name="Vos organisations")).to_be_visible()
    await assert_accessible(page, "home in French")

    # Sign out: back to the sign-in page, and a reload does not bring the session back.
    await account.click()
    await page.get_by_role("menuitem", name="Se déconnecter").click()
    await expect(page).to_have_url(re.compile(r"/login"))
    await expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
    await page.reload()
    await expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
    await page.goto(f"{live_server.url}/")
    await expect(page).to_have_url(re.compile(r"/login"))
    await assert_accessible(page, "sign-in in French")


async def test_observer_sees_the_organization_read_only(
    page: Page, live_server: LiveServer
) -> None:
    await _sign_in(page, live_server, OBSERVER.email, DEMO_PASSWORD)
    await expect(page.get_by_role("heading", level=1, name="Your organizations")).to_be_visible()
    await page.get_by_role("link", name="Maison Lumière").click()
    await expect(page.get_by_role("heading", level=1, name="Maison Lumière")).to_be_visible()
    await expect(page.get_by_role("table", name="Members of Maison Lumière")).to_contain_text(
        ANIMATOR.display_name
    )
    await expect(page.get_by_text("Only owners can change them.")).to_be_visible()
    await expect(page.get_by_role("button", name="Add a member")).to_have_count(0)
    await expect(page.get_by_role("button", name="Rename")).to_have_count(0)
    await assert_accessible(page, "organization, read-only")
