"""End-to-end fixtures: a real server on a temporary database, driven in Chromium.

The server is ``causerie serve`` in a subprocess, on a free port, with its own migrated
database (SQLite file or PostgreSQL database) holding the demo data, serving the built SPA.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, ConsoleMessage, Page, async_playwright

from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.demo import load_demo
from tests.support.databases import PostgresDatabases, SqliteDatabases, fresh_server_database
from tests.support.server import free_port, start_server
from tests.support.smtp import SmtpServer

REPO = Path(__file__).resolve().parents[2]
DIST = REPO / "frontend" / "dist"
AXE = REPO / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path(os.environ.get("CAUSERIE_CHROMIUM", "/usr/bin/chromium"))
# Checked once at import: the suite runs after `make` built and installed these.
HAVE_SPA = (DIST / "index.html").is_file()
HAVE_AXE = AXE.is_file()
HAVE_CHROMIUM = CHROMIUM.exists()
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (required when CI=true)")
    pytest.skip(reason)


@dataclass(frozen=True)
class LiveServer:
    url: str
    smtp: SmtpServer
    database_url: str


@pytest.fixture(scope="session")
def e2e_smtp() -> Iterator[SmtpServer]:
    """The mail server the end-to-end server delivers to (real SMTP on 127.0.0.1)."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
async def live_server(
    databases: SqliteDatabases | PostgresDatabases, e2e_smtp: SmtpServer
) -> AsyncIterator[LiveServer]:
    _require(HAVE_SPA, "the SPA is not built (cd frontend && npm run build)")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    data_dir = Path(tempfile.mkdtemp(prefix="causerie-e2e-"))
    env = {
        "CAUSERIE_DATABASE_URL": await fresh_server_database(databases, "e2e"),
        "CAUSERIE_DATA_DIR": str(data_dir),
        "CAUSERIE_SPA_DIR": str(DIST),
        "CAUSERIE_SECRET_KEY": "e2e-secret-" + "e" * 40,
        "CAUSERIE_PUBLIC_BASE_URL": url,
        "CAUSERIE_SMTP_HOST": e2e_smtp.hostname,
        "CAUSERIE_SMTP_PORT": str(e2e_smtp.port),
        "CAUSERIE_SMTP_SECURITY": "none",
        "CAUSERIE_LOG_LEVEL": "WARNING",
    }
    demo_settings = Settings(
        database_url=env["CAUSERIE_DATABASE_URL"],
        secret_key=env["CAUSERIE_SECRET_KEY"],
        public_base_url=url,
        data_dir=data_dir,
    )
    database = Database.from_url(demo_settings.database_url)
    async with database.writer() as session, session.begin():
        await load_demo(session, demo_settings)
    await database.dispose()

    server = await start_server(env["CAUSERIE_DATABASE_URL"], port=port, env=env)
    try:
        yield LiveServer(url=url, smtp=e2e_smtp, database_url=env["CAUSERIE_DATABASE_URL"])
    finally:
        server.stop()


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    _require(HAVE_CHROMIUM, f"Chromium is not installed at {CHROMIUM}")
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        await chromium.close()


@pytest.fixture(params=["desktop", "phone"])
def viewport(request: pytest.FixtureRequest) -> dict[str, Any]:
    if request.param == "phone":
        return {"viewport": PHONE, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
    return {"viewport": DESKTOP}


# Chromium words its console reports "Refused to ..." or "... violates the following
# Content Security Policy directive ..." depending on the version.
CSP_CONSOLE_MARKERS = ("Content Security Policy", "Content-Security-Policy", "Refused to")
# Reports each blocked load or inline script/style through an exposed binding (works under
# any CSP: the init script and the binding are injected by the browser, not by the page).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__causerieCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} on ${event.documentURI}`
  );
});
"""


async def watch_csp_violations(context: BrowserContext) -> list[str]:
    """Every Content-Security-Policy violation in the context's pages, as text."""
    violations: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if any(marker in message.text for marker in CSP_CONSOLE_MARKERS):
            violations.append(message.text)

    await context.expose_binding(
        "__causerieCspViolation", lambda _source, text: violations.append(str(text))
    )
    await context.add_init_script(CSP_LISTENER)
    context.on("console", on_console)
    return violations


@pytest.fixture
async def page(browser: Browser, viewport: dict[str, Any]) -> AsyncIterator[Page]:
    """A fresh browser page; the journey fails on a JavaScript error or a CSP violation."""
    context = await browser.new_context(locale="en-US", **viewport)
    context.set_default_timeout(10_000)
    csp_violations = await watch_csp_violations(context)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    await context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"
    assert csp_violations == [], f"Content-Security-Policy violations: {csp_violations}"


async def assert_accessible(page: Page, screen: str) -> None:
    """axe-core finds no serious or critical violation on the current screen."""
    _require(HAVE_AXE, "axe-core is not installed (cd frontend && npm ci)")
    if not await page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: a <script> tag would be an inline script,
        # which the page's CSP rightly blocks.
        await page.evaluate(AXE.read_text())
    violations = await page.evaluate(
        """async () => {
            const results = await window.axe.run(document, {resultTypes: ['violations']});
            return results.violations
              .filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => ({id: v.id, impact: v.impact, help: v.help,
                          targets: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
        }"""
    )
    assert violations == [], f"axe violations on {screen}: {violations}"
