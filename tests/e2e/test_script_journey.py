"""An animator builds a two-prompt sequence and previews it as a participant; the
participant sees the second prompt appear only after answering the first."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Browser, Page, expect

from causerie.demo import DEMO_PASSWORD, DEMO_STAFF
from tests.e2e.conftest import LiveServer, assert_accessible

pytestmark = pytest.mark.e2e
ANIMATOR = DEMO_STAFF[1]


async def _sign_in(page: Page, server: LiveServer, email: str) -> None:
    await page.goto(f"{server.url}/login")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Sign in", exact=True).click()


async def _new_prompt(page: Page, title: str, opens: str, depends_on: str | None = None) -> None:
    await page.get_by_role("button", name="New prompt").click()
    dialog = page.get_by_role("dialog", name="New prompt")
    await dialog.get_by_label("Kind").select_option(label="Discussion")
    await dialog.get_by_label("Title").fill(title)
    await dialog.get_by_label("Status").select_option(label="Published")
    await dialog.get_by_label("Opens").select_option(label=opens)
    if depends_on is None:
        await dialog.get_by_role("spinbutton", name="Delay").fill("0")
    else:
        await dialog.get_by_label("Depends on").select_option(label=depends_on)
    await dialog.get_by_role("button", name="Save the prompt").click()
    await expect(dialog).to_be_hidden()
    await expect(page.get_by_role("list", name="Prompts of the script")).to_contain_text(title)


async def test_a_sequence_opens_its_second_prompt_after_the_first_is_answered(
    page: Page, browser: Browser, live_server: LiveServer, viewport: dict[str, object]
) -> None:
    size = "phone" if viewport.get("is_mobile") else "desktop"
    first, second = f"First step ({size})", f"Second step ({size})"

    await _sign_in(page, live_server, ANIMATOR.email)
    await page.get_by_role("link", name="Maison Lumière").click()
    await page.get_by_role("link", name="Spaces", exact=True).click()
    await page.get_by_role("link", name="Club Lumière").click()
    await page.get_by_role("tab", name="Script").click()
    await _new_prompt(page, first, "Some time after the participant joins")
    await _new_prompt(page, second, "Once another prompt is answered", depends_on=first)
    await expect(
        page.get_by_text(f"Opens when {first} is answered").or_(
            page.get_by_text(f"Opens when “{first}” is answered")
        )
    ).to_be_visible()
    await assert_accessible(page, "script tab")

    await page.get_by_label("Preview as").select_option(label="Rose des vents")
    preview = page.get_by_role("list", name="What they would see")
    await expect(preview).to_contain_text(first)
    await expect(preview).to_contain_text(second)

    context = await browser.new_context(**viewport)  # type: ignore[arg-type]
    rose = await context.new_page()
    try:
        await _sign_in(rose, live_server, "rose@example.com")
        await expect(rose).to_have_url(re.compile(r"/me/spaces$"))
        await rose.get_by_role("link", name="Club Lumière").first.click()
        await expect(rose.get_by_role("region", name="To do now")).to_contain_text(first)
        await expect(rose.get_by_role("region", name="Coming next")).to_contain_text(second)
        await expect(rose.get_by_role("region", name="To do now")).not_to_contain_text(second)
        await assert_accessible(rose, "participant home")

        await rose.get_by_role("link", name=first).click()
        await expect(rose.get_by_role("heading", level=1, name=first)).to_be_visible()
        await rose.get_by_role("textbox", name="Your answer").fill("Here is my **first** answer.")
        await assert_accessible(rose, "prompt page")
        await rose.get_by_role("button", name="Send my answer").click()
        await expect(rose.get_by_role("region", name="My answer")).to_contain_text("first")

        await rose.get_by_role("link", name=re.compile("Back to")).click()
        await expect(rose.get_by_role("region", name="To do now")).to_contain_text(second)
        await expect(rose.get_by_role("region", name="Done")).to_contain_text(first)
    finally:
        await context.close()
