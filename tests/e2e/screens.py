"""Screenshots of every main screen, at phone and desktop sizes, in French and English.

    .venv/bin/python -m tests.e2e.screens            # or: make screens

Starts ``causerie serve`` on a fresh SQLite database holding the demo data (in a temporary
folder), signs in as a demo participant and a demo animator in Chromium, and writes
``var/screens/<size>-<lang>-<screen>.png`` (e.g. ``phone-fr-space.png``). The SPA must be
built (``cd frontend && npm run build``). For looking at the UI, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.async_api import Browser, Page, async_playwright
from playwright.async_api import TimeoutError as PlaywrightTimeout

from causerie.demo import DEMO_PASSWORD, DEMO_STAFF
from tests.support.server import free_port, start_server

REPO = Path(__file__).resolve().parents[2]
DIST = REPO / "frontend" / "dist"
OUT = REPO / "var" / "screens"
CHROMIUM = Path(os.environ.get("CAUSERIE_CHROMIUM", "/usr/bin/chromium"))
# As in tests/e2e/conftest.py.
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
SIZES: dict[str, dict[str, Any]] = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
    "desktop": {"viewport": {"width": 1440, "height": 900}},
}
LANGS = ("fr", "en")
PARTICIPANT = "rose@example.com"
STAFF = DEMO_STAFF[1].email  # the animator


async def _api_token(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    login = await client.post(
        "/api/v1/auth/login", json={"email": email, "password": DEMO_PASSWORD}
    )
    login.raise_for_status()
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


async def _paths(url: str) -> dict[str, str]:
    """The demo's ids, read over the API: the space, a prompt with answers, the organization."""
    async with httpx.AsyncClient(base_url=url) as client:
        headers = await _api_token(client, PARTICIPANT)
        space = (await client.get("/api/v1/me/spaces", headers=headers)).json()["items"][0]
        space_id = space["space_id"]
        timeline = (
            await client.get(f"/api/v1/me/spaces/{space_id}/timeline", headers=headers)
        ).json()
        answered = [i for i in timeline["items"] if i.get("state") == "answered"]
        prompt_id = (answered or timeline["items"])[0]["prompt_id"]
        staff = await _api_token(client, STAFF)
        org_id = (await client.get("/api/v1/organizations", headers=staff)).json()["items"][0]["id"]
    return {
        "my-spaces": "/me/spaces",
        "space": f"/me/spaces/{space_id}",
        "prompt": f"/me/spaces/{space_id}/prompts/{prompt_id}",
        "account": "/me/account",
        "home": "/",
        "organization": f"/organizations/{org_id}",
        "console": f"/spaces/{space_id}?tab=console",
        "script": f"/spaces/{space_id}?tab=script",
    }


PARTICIPANT_SCREENS = ("my-spaces", "space", "prompt", "account")
STAFF_SCREENS = ("home", "organization", "console", "script")


async def _settle(page: Page) -> None:
    """The page's heading is there and nothing is loading any more."""
    with contextlib.suppress(PlaywrightTimeout):
        await page.locator("h1").first.wait_for(state="visible", timeout=15_000)
    # A screenshot of a slow screen is still worth having.
    with contextlib.suppress(PlaywrightTimeout):
        await page.wait_for_function(
            "() => !document.querySelector('.spinner')", timeout=10_000, polling=200
        )
    await page.wait_for_timeout(300)


async def _sign_in(page: Page, url: str, email: str) -> None:
    await page.goto(f"{url}/login")
    await page.locator("input[type=email]").fill(email)
    await page.locator("input[type=password]").fill(DEMO_PASSWORD)
    await page.locator("form button[type=submit]").first.click()
    await page.wait_for_url(lambda u: "/login" not in u, timeout=15_000)


async def _shoot(
    browser: Browser,
    url: str,
    size: str,
    lang: str,
    email: str | None,
    screens: dict[str, str],
    done: Callable[[Path], Awaitable[None]],
) -> None:
    context = await browser.new_context(locale="fr-FR" if lang == "fr" else "en-US", **SIZES[size])
    await context.add_init_script(f"localStorage.setItem('causerie.lang', '{lang}')")
    page = await context.new_page()
    try:
        if email:
            await _sign_in(page, url, email)
        for name, path in screens.items():
            await page.goto(f"{url}{path}")
            await _settle(page)
            target = OUT / f"{size}-{lang}-{name}.png"
            await page.screenshot(path=str(target))
            await done(target)
    finally:
        await context.close()


def _prepare_database(env: dict[str, str]) -> None:
    causerie = [sys.executable, "-m", "causerie"]
    full_env = {**os.environ, **env}
    for command in ("migrate", "demo"):
        subprocess.run([*causerie, command], env=full_env, check=True, stdout=subprocess.DEVNULL)


async def main(sizes: tuple[str, ...], langs: tuple[str, ...]) -> int:
    if not (DIST / "index.html").is_file():
        print("the SPA is not built: cd frontend && npm run build", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="causerie-screens-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        "CAUSERIE_DATABASE_URL": f"sqlite+aiosqlite:///{data_dir / 'causerie.db'}",
        "CAUSERIE_DATA_DIR": str(data_dir),
        "CAUSERIE_SPA_DIR": str(DIST),
        "CAUSERIE_SECRET_KEY": "screens-secret-" + "s" * 40,
        "CAUSERIE_PUBLIC_BASE_URL": url,
        "CAUSERIE_LOG_LEVEL": "WARNING",
    }
    _prepare_database(env)
    server = await start_server(env["CAUSERIE_DATABASE_URL"], port=port, env=env)
    written: list[Path] = []

    async def done(path: Path) -> None:
        written.append(path)
        print(f"  {path.relative_to(REPO)}")

    try:
        paths = await _paths(url)
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            try:
                for size in sizes:
                    for lang in langs:
                        await _shoot(browser, url, size, lang, None, {"login": "/login"}, done)
                        await _shoot(
                            browser,
                            url,
                            size,
                            lang,
                            PARTICIPANT,
                            {name: paths[name] for name in PARTICIPANT_SCREENS},
                            done,
                        )
                        await _shoot(
                            browser,
                            url,
                            size,
                            lang,
                            STAFF,
                            {name: paths[name] for name in STAFF_SCREENS},
                            done,
                        )
            finally:
                await browser.close()
    finally:
        server.stop()
    print(f"{len(written)} screenshots in {OUT.relative_to(REPO)}/")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), action="append")
    parser.add_argument("--lang", choices=LANGS, action="append")
    args = parser.parse_args()
    sys.exit(asyncio.run(main(tuple(args.size or SIZES), tuple(args.lang or LANGS))))
