"""Serves the built single-page app; client-side routes fall back to index.html.

Paths under ``/api`` never match here, so unknown API routes stay problem+json 404s.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Match, Route
from starlette.types import Scope

# The SPA's Content-Security-Policy, sent with index.html and every file of the build.
# Vite emits no inline script or style (index.html only references /assets/*), so scripts
# and stylesheets come from this origin only. React's `style={...}` props (the space accent
# colour) go through the CSSOM, which style-src does not govern, so no 'unsafe-inline' is
# needed. Rich text is sanitised HTML without style attributes (core/markdown.py).
SPA_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # Logos and prompt images come from /api/v1/files (same origin); data: and blob: let
        # the browser show images it builds locally (an image cannot run script).
        "img-src 'self' data: blob:",
        # The API and its server-sent events live on this origin.
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SPARoute(Route):
    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path: str = scope.get("path", "")
        if path == "/api" or path.startswith("/api/"):
            return Match.NONE, {}
        return super().matches(scope)


def spa_route(dist: Path) -> SPARoute:
    root = dist.resolve()
    index = root / "index.html"

    async def serve(request: Request) -> Response:
        relative = request.path_params.get("path", "")
        try:
            candidate = (root / relative).resolve()
            is_asset = bool(relative) and candidate.is_relative_to(root) and candidate.is_file()
        except (OSError, ValueError):  # NUL bytes, names too long
            is_asset = False
        if is_asset:
            immutable = candidate.is_relative_to(root / "assets")
            headers = {
                "Cache-Control": "public, max-age=31536000, immutable" if immutable else "no-cache",
                "Content-Security-Policy": SPA_CSP,
            }
            return FileResponse(candidate, headers=headers)
        return FileResponse(
            index, headers={"Cache-Control": "no-cache", "Content-Security-Policy": SPA_CSP}
        )

    return SPARoute("/{path:path}", serve, methods=["GET", "HEAD"], include_in_schema=False)
