"""A participant never misses what the brand asks. Signed in by an e-mailed link, someone
with one space lands in it; after answering, "Next →" offers the next prompt; an animator
probes the answer from the console; the participant finds the question counted on My
spaces, first on the space page and in the notification, each opening the prompt page on
the question itself; once answered it leaves the top of the space.

On a phone (390×844) in French and on a desktop (1440×900) in English, with axe at no
serious or critical violation on each screen changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from causerie.demo import DEMO_PASSWORD, DEMO_STAFF
from tests.e2e.conftest import REPO, LiveServer, assert_accessible, watch_csp_violations

pytestmark = pytest.mark.e2e
ANIMATOR = DEMO_STAFF[1]
WELCOME = "Bienvenue au Club Lumière !"
LAMP = "La lampe Aube — vos premières impressions"
QUESTION_TITLE = "La marque vous pose une question"  # the space speaks French
LIVE = 20_000  # pages refresh every 10 to 30 seconds without the live stream
CATALOGS = {
    lang: json.loads((REPO / "frontend" / "src" / "i18n" / f"{lang}.json").read_text("utf-8"))
    for lang in ("en", "fr")
}


def text(lang: str, key: str, **values: object) -> str:
    """The SPA's text for ``key`` (its ``_one`` form for a count of 1), as the user reads it."""
    catalog = CATALOGS[lang]
    template = catalog.get(f"{key}_one", catalog[key]) if values.get("count") == 1 else catalog[key]
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), template)


@dataclass(frozen=True)
class Visitor:
    lang: str
    locale: str
    viewport: dict[str, Any]
    email: str
    pseudonym: str

    def t(self, key: str, **values: object) -> str:
        return text(self.lang, key, **values)


VISITORS = [
    pytest.param(
        Visitor(
            "fr",
            "fr-FR",
            {
                "viewport": {"width": 390, "height": 844},
                "is_mobile": True,
                "has_touch": True,
                "device_scale_factor": 2,
            },
            "yanis@example.com",
            "Yanis",
        ),
        id="phone-fr",
    ),
    pytest.param(
        Visitor(
            "en",
            "en-US",
            {"viewport": {"width": 1440, "height": 900}},
            "clara@example.com",
            "Clara",
        ),
        id="desktop-en",
    ),
]


@dataclass
class Watched:
    page: Page
    errors: list[str]
    csp: list[str]


async def _open(browser: Browser, locale: str, viewport: dict[str, Any]) -> Watched:
    context: BrowserContext = await browser.new_context(locale=locale, **viewport)
    context.set_default_timeout(10_000)
    csp = await watch_csp_violations(context)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return Watched(page, errors, csp)


@pytest.fixture
async def pages(browser: Browser) -> AsyncIterator[list[Watched]]:
    opened: list[Watched] = []
    yield opened
    for watched in opened:
        await watched.page.context.close()
    for watched in opened:
        assert watched.errors == [], f"JavaScript errors on the page: {watched.errors}"
        assert watched.csp == [], f"Content-Security-Policy violations: {watched.csp}"


async def _sign_in(page: Page, server: LiveServer, lang: str, email: str) -> None:
    await page.goto(f"{server.url}/login")
    await page.get_by_label(text(lang, "login.email")).fill(email)
    await page.get_by_label(text(lang, "login.password")).fill(DEMO_PASSWORD)
    await page.get_by_role("button", name=text(lang, "login.submit"), exact=True).click()
    await expect(page).not_to_have_url(re.compile(r"/login"))


SIGN_IN_LINK = re.compile(r"https?://[^\s\"]+/sign-in/link#token=[A-Za-z0-9_.~%-]+")


async def _sign_in_by_link(page: Page, server: LiveServer, visitor: Visitor) -> None:
    """Asks for an e-mailed sign-in link and follows it (read on the SMTP server)."""
    smtp = server.smtp
    seen = len(smtp.received)
    await page.goto(f"{server.url}/login")
    await page.get_by_role("link", name=visitor.t("magic.option")).click()
    await page.get_by_role("textbox", name=visitor.t("login.email")).fill(visitor.email)
    await page.get_by_role("button", name=visitor.t("magic.submit")).click()
    await expect(page.get_by_text(visitor.t("magic.sent_title"))).to_be_visible()
    for expected in range(seen + 1, seen + 20):
        for received in reversed(await smtp.wait_for(expected)):
            match = SIGN_IN_LINK.search(received.part("text/plain"))
            if visitor.email in received.rcpt_tos and match:
                await page.goto(match.group(0))
                return
    raise AssertionError(f"no sign-in link reached {visitor.email}")


async def _probe_from_console(staff: Page, server: LiveServer, pseudonym: str) -> str:
    question = f"Quelle pièce préférez-vous, {pseudonym} ?"
    await _sign_in(staff, server, "en", ANIMATOR.email)
    await staff.get_by_role("link", name="Maison Lumière").click()
    await staff.get_by_role("link", name="Spaces", exact=True).click()
    await staff.get_by_role("link", name="Club Lumière").click()
    await staff.get_by_role("tab", name="Console").click()
    item = staff.get_by_role("article", name=f"Answer by {pseudonym} to {WELCOME}")
    await expect(item).to_be_visible(timeout=LIVE)
    await item.get_by_role("button", name=f"Private probe to {pseudonym}").click()
    dialog = staff.get_by_role("dialog", name=f"Probe {pseudonym}")
    await dialog.get_by_role("radio", name="Private").check()
    field = dialog.get_by_role("textbox", name="Question")
    await field.fill(question)
    # Sent from the keyboard, as animators do: Ctrl+Enter in the text sends the form.
    await field.press("Control+Enter")
    await expect(staff.get_by_text(f"Your question was sent to {pseudonym}.")).to_be_visible()
    return question


@pytest.mark.parametrize("visitor", VISITORS)
async def test_a_participant_finds_the_brands_question_and_answers_it(
    browser: Browser, live_server: LiveServer, pages: list[Watched], visitor: Visitor
) -> None:
    t = visitor.t
    me = await _open(browser, visitor.locale, visitor.viewport)
    staff = await _open(browser, "en-US", {"viewport": {"width": 1440, "height": 900}})
    pages.extend([me, staff])
    page = me.page

    # Signed in by an e-mailed link, the participant of one space lands in it, answers the
    # welcome, and the page offers the next prompt.
    await _sign_in_by_link(page, live_server, visitor)
    await expect(page).to_have_url(re.compile(r"/me/spaces/[0-9a-f-]+$"))
    await expect(page.get_by_role("heading", level=1, name="Club Lumière")).to_be_visible()
    await page.get_by_role("link", name=WELCOME).first.click()
    await expect(page.get_by_role("heading", level=1, name=WELCOME)).to_be_visible()
    await page.get_by_role("textbox", name=t("answer.text")).fill("Bonjour, le salon !")
    await page.get_by_role("button", name=t("answer.submit")).click()
    what_next = page.get_by_role("region", name=t("what_next.answered"))
    next_link = what_next.get_by_role("link", name=t("what_next.next", title=LAMP))
    await expect(next_link).to_be_visible()
    await assert_accessible(page, "prompt page, answered")
    await next_link.click()
    await expect(page.get_by_role("heading", level=1, name=LAMP)).to_be_visible()

    # The brand probes that answer, privately, from the console.
    question = await _probe_from_console(staff.page, live_server, visitor.pseudonym)

    # My spaces counts it on the space's card.
    # "My spaces" is in the account menu of the top bar.
    await page.get_by_role("banner").locator("button[aria-haspopup=menu]").click()
    await page.get_by_role("menuitem", name=t("shell.my_spaces"), exact=True).click()
    awaits = page.get_by_role("list", name=t("my_spaces.awaits"))
    await expect(awaits).to_contain_text(t("my_spaces.open_probes", count=1), timeout=LIVE)
    await assert_accessible(page, "my spaces with what awaits")

    # The space page puts the question first, with a link straight to it.
    await page.get_by_role("link", name="Club Lumière").first.click()
    asked = page.get_by_role("region", name=t("probes.heading"))
    await expect(asked).to_contain_text(question)
    done = page.get_by_role("region", name=t("home.done"))
    await expect(done.get_by_text(t("home.probe_badge"))).to_be_visible()
    await assert_accessible(page, "space page with the brand's question")
    await asked.get_by_role("link", name=t("probes.answer_link", title=WELCOME)).click()
    await expect(page).to_have_url(re.compile(r"#probe-[0-9a-f-]+$"))
    notice = page.get_by_role("region", name=t("probe.asks_you"))
    await expect(notice).to_be_focused()
    await expect(notice).to_contain_text(question)
    await expect(notice).to_be_in_viewport()
    await assert_accessible(page, "prompt page opened on the question")

    # The notification opens on it too; there the participant answers.
    await page.get_by_role("link", name=t("prompt_page.back", title="Club Lumière")).click()
    bell = page.get_by_role("button", name=re.compile(rf"^{t('notifications.bell')}, "))
    await bell.click()
    await page.get_by_role("link", name=QUESTION_TITLE).first.click()
    await expect(page).to_have_url(re.compile(r"/prompts/[0-9a-f-]+#probe-[0-9a-f-]+$"))
    await expect(notice).to_be_focused()
    await notice.get_by_role("textbox", name=t("probe.answer_field")).fill("Le salon, bien sûr.")
    await notice.get_by_role("button", name=t("probe.answer_submit")).click()
    await expect(page.get_by_text(t("probe.answered_toast"))).to_be_visible()
    await expect(notice).to_have_count(0)

    # Answered, it leaves the top of the space and the card.
    await page.get_by_role("link", name=t("prompt_page.back", title="Club Lumière")).click()
    await expect(page.get_by_role("region", name=t("home.todo"))).to_be_visible()
    await expect(page.get_by_role("region", name=t("probes.heading"))).to_have_count(0)
    await expect(done.get_by_text(t("home.probe_badge"))).to_have_count(0)
    await assert_accessible(page, "space page after answering")
    # "My spaces" is in the account menu of the top bar.
    await page.get_by_role("banner").locator("button[aria-haspopup=menu]").click()
    await page.get_by_role("menuitem", name=t("shell.my_spaces"), exact=True).click()
    await expect(awaits).to_be_visible()
    await expect(awaits).not_to_contain_text(t("my_spaces.open_probes", count=1))
