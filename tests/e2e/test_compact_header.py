"""On a phone the top bar is one 56 px line (brand, bell, avatar menu) for participants and
staff, in both languages; the avatar menu works from the keyboard; reactions show drawn
icons, only the used ones plus "+", and mine is pressed. Checked by axe."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Page, expect

from causerie.demo import DEMO_PASSWORD, DEMO_STAFF
from tests.e2e.conftest import PHONE, LiveServer, assert_accessible
from tests.e2e.screens import _paths

pytestmark = pytest.mark.e2e

PARTICIPANT = ("rose@example.com", "Rose des vents")
ANIMATOR = (DEMO_STAFF[1].email, DEMO_STAFF[1].display_name)
MENU = {"en": "Account menu", "fr": "Menu du compte"}
SIGN_OUT = {"en": "Sign out", "fr": "Se déconnecter"}
PROFILE = {"en": "Profile", "fr": "Profil"}


@pytest.fixture
async def phone(browser: Browser, request: pytest.FixtureRequest) -> AsyncIterator[Page]:
    lang = getattr(request, "param", "en")
    context = await browser.new_context(
        locale="fr-FR" if lang == "fr" else "en-US",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    context.set_default_timeout(10_000)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    await context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


async def _sign_in(page: Page, server: LiveServer, email: str) -> None:
    await page.goto(f"{server.url}/login")
    await page.locator("input[type=email]").fill(email)
    await page.locator("input[type=password]").fill(DEMO_PASSWORD)
    await page.locator("form button[type=submit]").first.click()
    await expect(page).not_to_have_url(re.compile(r"/login"))


async def _header_height(page: Page) -> float:
    box = await page.get_by_role("banner").bounding_box()
    assert box is not None
    return box["height"]


@pytest.mark.parametrize("phone", ["en", "fr"], indirect=True)
@pytest.mark.parametrize(
    ("who", "screen"), [(PARTICIPANT, "space"), (ANIMATOR, "console")], ids=["participant", "staff"]
)
async def test_phone_header_is_one_compact_bar_with_a_keyboard_avatar_menu(
    phone: Page, live_server: LiveServer, who: tuple[str, str], screen: str
) -> None:
    page = phone
    lang = "fr" if "fr" in str(await page.evaluate("navigator.language")) else "en"
    email, name = who
    paths = await _paths(live_server.url)
    await _sign_in(page, live_server, email)
    await page.goto(f"{live_server.url}{paths[screen]}")
    await expect(page.locator("html")).to_have_attribute("lang", lang)
    await expect(page.get_by_role("heading", level=1).first).to_be_visible()

    assert await _header_height(page) <= 56
    # The page's content starts right under it, above the fold.
    main = await page.locator("main").bounding_box()
    assert main is not None and main["y"] <= 57

    banner = page.get_by_role("banner")
    button = banner.get_by_role("button", name=name, exact=True)
    await expect(button).to_have_attribute("aria-haspopup", "menu")
    await expect(button).to_have_attribute("title", MENU[lang])
    await assert_accessible(page, f"{screen} ({lang}, phone)")

    await button.focus()
    await page.keyboard.press("Enter")
    menu = page.get_by_role("menu")
    await expect(menu).to_be_visible()
    await expect(button).to_have_attribute("aria-expanded", "true")
    await expect(menu.get_by_role("menuitem", name=PROFILE[lang])).to_be_focused()
    await page.keyboard.press("ArrowDown")
    await expect(menu.get_by_role("menuitem", name=PROFILE[lang])).not_to_be_focused()
    await page.keyboard.press("End")
    await expect(menu.get_by_role("menuitem", name=SIGN_OUT[lang])).to_be_focused()
    await expect(menu.get_by_role("menuitemradio", name="Français")).to_have_attribute(
        "aria-checked", "true" if lang == "fr" else "false"
    )
    await assert_accessible(page, f"{screen} with the account menu open ({lang}, phone)")
    await page.keyboard.press("Escape")
    await expect(menu).to_have_count(0)
    await expect(button).to_be_focused()
    assert await _header_height(page) <= 56

    # Signing out is in the menu.
    await page.keyboard.press("ArrowUp")
    await expect(page.get_by_role("menuitem", name=SIGN_OUT[lang])).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(re.compile(r"/login"))


async def test_reactions_are_drawn_only_used_ones_plus_add_and_mine_is_pressed(
    phone: Page, live_server: LiveServer
) -> None:
    page = phone
    paths = await _paths(live_server.url)
    await _sign_in(page, live_server, PARTICIPANT[0])
    await page.goto(f"{live_server.url}{paths['prompt']}")
    mine = page.get_by_role("region", name="My answer")
    reactions = mine.get_by_role("group", name="Reactions")
    await expect(reactions).to_be_visible()

    buttons = reactions.get_by_role("button")
    names = [await b.get_attribute("aria-label") for b in await buttons.all()]
    assert names[-1] == "Add a reaction"
    # Only reactions somebody used, each with its count (never "…, 0").
    assert names[:-1] and all(not n.endswith(", 0") for n in names[:-1] if n), names
    assert await reactions.locator("svg").count() == len(names)
    text = await reactions.inner_text()
    assert not re.search(r"[\U0001F300-\U0001FAFF\u2764]", text), text

    await reactions.get_by_role("button", name="Add a reaction").click()
    picker = reactions.get_by_role("group", name="Choose a reaction")
    await expect(picker).to_be_visible()
    await assert_accessible(page, "reaction picker")
    options = [
        await b.get_attribute("aria-label") for b in await picker.get_by_role("button").all()
    ]
    assert options and not set(options) & {n.split(",")[0] for n in names[:-1] if n}
    await picker.get_by_role("button", name=options[0]).click()
    pressed = reactions.get_by_role("button", name=f"{options[0]}, 1")
    await expect(pressed).to_have_attribute("aria-pressed", "true")
    await expect(pressed).to_be_focused()
    # Pressed is drawn solid: a background unlike an unpressed reaction's.
    backgrounds = await reactions.evaluate(
        """el => [...el.querySelectorAll('button.reaction:not(.reaction--add)')]
            .map(b => [b.getAttribute('aria-pressed'), getComputedStyle(b).backgroundColor])"""
    )
    on = {bg for state, bg in backgrounds if state == "true"}
    off = {bg for state, bg in backgrounds if state == "false"}
    assert on and not on & off, backgrounds
    await assert_accessible(page, "reactions with mine pressed")

    # Pressing it again takes it back: unused, it goes back to the picker.
    await pressed.click()
    await expect(reactions.get_by_role("button", name=re.compile(f"^{options[0]}"))).to_have_count(
        0
    )


async def test_the_console_uses_a_desktop_screen_and_each_answer_acts_from_one_row(
    browser: Browser, live_server: LiveServer
) -> None:
    """At 1440×900 the studio takes the screen's width, the side panels sit beside the feed,
    and an answer's actions (replies, reply, probes, notes) fit on one line."""
    context = await browser.new_context(viewport={"width": 1440, "height": 900})
    context.set_default_timeout(10_000)
    try:
        page = await context.new_page()
        await _sign_in(page, live_server, ANIMATOR[0])
        await page.goto(f"{live_server.url}{(await _paths(live_server.url))['console']}")
        first = page.get_by_role("article").first
        await expect(first).to_be_visible()
        main = await page.locator("main").bounding_box()
        assert main is not None and main["width"] >= 1300, main
        tops = {
            round(box["y"])
            for button in await first.locator(".actions button, .actions a").all()
            if (box := await button.bounding_box()) is not None
        }
        assert len(tops) == 1, f"the actions sit on {len(tops)} lines: {sorted(tops)}"
        feed = await first.bounding_box()
        side = await page.get_by_role("region", name="Who has not answered yet").bounding_box()
        assert feed is not None and side is not None
        assert side["x"] > feed["x"] + feed["width"] - 1, "the side panel sits beside the feed"
        await assert_accessible(page, "console at desktop width")
    finally:
        await context.close()
