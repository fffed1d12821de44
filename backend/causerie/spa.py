"""Serves the built single-page app; client-side routes fall back to index.html.

Paths under ``/api`` never match here, so unknown API routes stay problem+json 404s.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Match, Route
from starlette.types import Scope


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
                "Cache-Control": "public, max-age=31536000, immutable" if immutable else "no-cache"
            }
            return FileResponse(candidate, headers=headers)
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    return SPARoute("/{path:path}", serve, methods=["GET", "HEAD"], include_in_schema=False)
