"""The Content-Security-Policy in a real browser: it blocks injected script in the SPA, the
journeys' guard sees it, and the API reference renders from the app's own files under it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import Browser, Page, Request, Route, expect

from tests.e2e.conftest import DESKTOP, LiveServer, watch_csp_violations

pytestmark = pytest.mark.e2e


@pytest.fixture
def viewport() -> dict[str, Any]:
    """Nothing here depends on the screen size: one desktop run is enough."""
    return {"viewport": DESKTOP}


async def test_api_docs_render_offline_from_the_apps_own_assets(
    page: Page, live_server: LiveServer
) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    async def offline(route: Route, request: Request) -> None:
        if request.url.startswith(f"{live_server.url}/"):
            await route.continue_()
        else:
            await route.abort("internetdisconnected")

    await page.route("**/*", offline)
    await page.goto(f"{live_server.url}/api/docs")

    # Parsing 1.5 MB of Swagger UI and rendering ~90 operations takes a few seconds on a
    # loaded machine: wait for the rendered list (an event, not a sleep) a bit longer.
    auth = page.locator("#operations-tag-auth")
    await expect(auth).to_be_visible(timeout=30_000)
    await expect(page.get_by_text("/api/v1/auth/login", exact=True).first).to_be_visible()
    # The stylesheet applied (Swagger UI's own CSS, not the browser's defaults).
    await expect(page.locator(".swagger-ui .opblock").first).to_have_css("border-radius", "4px")

    outside = [
        url for url in requested if not url.startswith((f"{live_server.url}/", "data:", "blob:"))
    ]
    assert outside == [], f"the docs tried to load from elsewhere: {outside}"


async def test_spa_refuses_an_injected_inline_script_and_the_guard_reports_it(
    browser: Browser, live_server: LiveServer
) -> None:
    context = await browser.new_context(locale="en-US")
    try:
        violations = await watch_csp_violations(context)
        page = await context.new_page()
        await page.goto(f"{live_server.url}/login")
        await expect(page.get_by_label("Password")).to_be_visible()
        async with page.expect_console_message(
            lambda message: "Content Security Policy" in message.text
        ):
            ran = await page.evaluate(
                """() => {
                    const script = document.createElement("script");
                    script.textContent = "window.injected = true";
                    document.body.append(script);
                    return window.injected === true;
                }"""
            )
        assert ran is False
        assert any("script-src" in violation for violation in violations), violations
    finally:
        await context.close()
