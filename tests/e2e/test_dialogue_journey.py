"""A participant answers an uninfluenced prompt; the animator sees it arrive in the console
and sends a private probe; the participant sees the probe appear and answers it; another
participant never sees the private probe."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Browser, Page, expect

from causerie.demo import DEMO_PASSWORD, DEMO_STAFF
from tests.e2e.conftest import LiveServer, assert_accessible

pytestmark = pytest.mark.e2e
ANIMATOR = DEMO_STAFF[1]
LAMP = "La lampe Aube — vos premières impressions"
WELCOME = "Bienvenue au Club Lumière !"
LIVE = 20_000  # the console and the prompt page refresh every 5 and 10 seconds


async def _sign_in(page: Page, server: LiveServer, email: str) -> None:
    await page.goto(f"{server.url}/login")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Sign in", exact=True).click()


async def _open_prompt(page: Page, title: str) -> None:
    await page.get_by_role("link", name="Club Lumière").first.click()
    await page.get_by_role("link", name=title).first.click()
    await expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()


async def test_a_private_probe_reaches_only_its_participant_live(
    page: Page, browser: Browser, live_server: LiveServer, viewport: dict[str, object]
) -> None:
    size = "phone" if viewport.get("is_mobile") else "desktop"
    email, pseudonym = (
        ("marc@example.com", "Marc-Antoine")
        if size == "desktop"
        else ("sophie@example.com", "Sophie L.")
    )
    question = f"Quelle pièce pour la lampe, {pseudonym} ?"
    participant_context = await browser.new_context(**viewport)  # type: ignore[arg-type]
    other_context = await browser.new_context(**viewport)  # type: ignore[arg-type]
    participant, other = await participant_context.new_page(), await other_context.new_page()
    try:
        # The animator keeps the console open.
        await _sign_in(page, live_server, ANIMATOR.email)
        await page.get_by_role("link", name="Maison Lumière").click()
        await page.get_by_role("link", name="Spaces", exact=True).click()
        await page.get_by_role("link", name="Club Lumière").click()
        await page.get_by_role("tab", name="Console").click()
        await expect(page.get_by_role("region", name="Latest answers")).to_be_visible()

        # The participant answers the welcome, which opens the uninfluenced lamp poll.
        await _sign_in(participant, live_server, email)
        await _open_prompt(participant, WELCOME)
        await participant.get_by_role("textbox", name="Your answer").fill("Bonjour à tous !")
        await participant.get_by_role("button", name="Send my answer").click()
        await expect(participant.get_by_role("region", name="My answer")).to_be_visible()
        await participant.get_by_role("link", name=re.compile("Back to")).click()
        await participant.get_by_role("link", name=LAMP).first.click()
        await participant.get_by_role("radio", name="Coup de cœur").check()
        await participant.get_by_role("button", name="Send my answer").click()
        await expect(participant.get_by_role("region", name="My answer")).to_be_visible()
        lamp_url = participant.url

        # The answer arrives in the console without a reload; the animator probes privately.
        item = page.get_by_role("article", name=f"Answer by {pseudonym} to {LAMP}")
        await expect(item).to_be_visible(timeout=LIVE)
        await item.get_by_role("button", name=f"Private probe to {pseudonym}").click()
        dialog = page.get_by_role("dialog", name=f"Probe {pseudonym}")
        await dialog.get_by_role("textbox", name="Question").fill(question)
        await dialog.get_by_role("radio", name="Private").check()
        await dialog.get_by_role("button", name="Send probe").click()
        await expect(page.get_by_text(f"Your question was sent to {pseudonym}.")).to_be_visible()
        await assert_accessible(page, "console")

        # The participant sees the probe appear on the open page and answers it in place.
        notice = participant.get_by_role("region", name="The brand asks you")
        await expect(notice).to_contain_text(question, timeout=LIVE)
        await expect(notice).to_contain_text("Only you and the brand see this")
        await assert_accessible(participant, "probe notice")
        await notice.get_by_role("textbox", name="Your answer to the brand").fill("Le salon.")
        await notice.get_by_role("button", name="Answer").click()
        await expect(
            participant.get_by_text("Thank you, your answer was sent to the brand.")
        ).to_be_visible()

        # Rose answered the lamp poll, so she sees the others' answers — never the probe.
        await _sign_in(other, live_server, "rose@example.com")
        await expect(other).to_have_url(re.compile(r"/me/spaces$"))
        await other.goto(lamp_url)
        await expect(other.get_by_role("heading", level=1, name=LAMP)).to_be_visible()
        await expect(other.get_by_text(pseudonym).first).to_be_visible(timeout=LIVE)
        await expect(other.get_by_text(question)).to_have_count(0)
        await expect(other.get_by_text("Le salon.")).to_have_count(0)
    finally:
        await participant_context.close()
        await other_context.close()
