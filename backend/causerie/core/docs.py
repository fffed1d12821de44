"""The API reference (Swagger UI), served by the app itself: no CDN, works offline.

The assets ship in the ``fastapi-offline`` package (Swagger UI 5; only its files are used:
``swagger-ui-bundle`` on PyPI still holds Swagger UI 4, which cannot read OpenAPI 3.1, the
version FastAPI writes). The UI is started by a small static script (``static/swagger-init.js``)
instead of an inline ``<script>``, so the page carries ``script-src 'self'`` like the SPA.
"""

from __future__ import annotations

from html import escape
from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter
from starlette.responses import FileResponse, HTMLResponse, Response

from causerie.core.errors import NotFound

DOCS_PATH = "/api/docs"
ASSETS_PATH = f"{DOCS_PATH}/assets"

_VENDOR = Path(str(files("fastapi_offline").joinpath("static")))
_STATIC = Path(__file__).with_name("static")
_JS = "text/javascript; charset=utf-8"
# Only what the page uses (the package also ships ReDoc, which we do not serve).
ASSETS: dict[str, tuple[Path, str]] = {
    "swagger-ui-bundle.js": (_VENDOR / "swagger-ui-bundle.js", _JS),
    "swagger-ui.css": (_VENDOR / "swagger-ui.css", "text/css; charset=utf-8"),
    "favicon.png": (_VENDOR / "favicon.png", "image/png"),
    "swagger-init.js": (_STATIC / "swagger-init.js", _JS),
}

DOCS_CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        # Swagger UI sets element styles through the DOM (not covered by style-src) and
        # ships its stylesheet as a file, so no 'unsafe-inline' is needed.
        "style-src 'self'",
        # Its icons are data: SVGs in the stylesheet.
        "img-src 'self' data:",
        # The OpenAPI document and "Try it out" calls go to this same origin.
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def _page(openapi_url: str, title: str) -> str:
    return f"""<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{escape(title)}</title>
    <link rel="stylesheet" href="{ASSETS_PATH}/swagger-ui.css">
    <link rel="icon" type="image/png" href="{ASSETS_PATH}/favicon.png">
  </head>
  <body>
    <div id="swagger-ui" data-openapi-url="{escape(openapi_url)}"></div>
    <script src="{ASSETS_PATH}/swagger-ui-bundle.js"></script>
    <script src="{ASSETS_PATH}/swagger-init.js"></script>
  </body>
</html>
"""


def docs_router(*, openapi_url: str, title: str) -> APIRouter:
    """``GET /api/docs`` and its assets, kept out of the OpenAPI document."""
    router = APIRouter(include_in_schema=False)
    page = _page(openapi_url, f"{title} - Swagger UI")

    @router.get(DOCS_PATH)
    async def read_docs() -> HTMLResponse:
        return HTMLResponse(
            page, headers={"Content-Security-Policy": DOCS_CSP, "Cache-Control": "no-cache"}
        )

    @router.get(f"{ASSETS_PATH}/{{name}}")
    async def read_docs_asset(name: str) -> Response:
        if name not in ASSETS:
            raise NotFound("No such file.")
        path, media_type = ASSETS[name]
        return FileResponse(path, media_type=media_type, headers={"Cache-Control": "no-cache"})

    return router
