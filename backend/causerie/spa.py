"""Serves the built single-page app; client-side routes fall back to index.html.

Paths under ``/api`` never match here, so unknown API routes stay problem+json 404s.

The build holds a Brotli (``.br``) and a gzip (``.gz``) copy of each text file, made once
by ``npm run build`` (frontend/scripts/precompress.js): the smallest one the browser
accepts is sent as it is, with ``Vary: Accept-Encoding``. Files under /assets are named
after their content, so browsers keep them for a year; index.html is revalidated every
time. Source maps are never served, and neither is anything missing under /assets: a
chunk of an older build must fail as a 404, not arrive as index.html.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Match, Route
from starlette.types import Scope

from causerie.core.errors import NotFound

# The SPA's Content-Security-Policy, sent with index.html and every file of the build.
# Vite emits no inline script or style (index.html only references /assets/*, and its
# start-up shell is styled by the app's stylesheet), so scripts and stylesheets come from
# this origin only. React's `style={...}` props (the space accent colour) go through the
# CSSOM, which style-src does not govern, so no 'unsafe-inline' is needed. Rich text is
# sanitised HTML without style attributes (core/markdown.py).
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

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# The precompressed copies, in the server's order of preference (the smallest first).
ENCODINGS = {"br": ".br", "gzip": ".gz"}
# Never served by URL: source maps, the compressed copies themselves (they go out only as
# an encoding of their file), and dot files (dist/.vite holds the build manifest).
HIDDEN_SUFFIXES = (".map", *ENCODINGS.values())


def accepted_encodings(header: str) -> dict[str, float]:
    """The content codings an ``Accept-Encoding`` header names, with their weights (q)."""
    weights: dict[str, float] = {}
    for item in header.split(","):
        coding, _, parameters = item.partition(";")
        coding = coding.strip().lower()
        if not coding:
            continue
        weight = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    weight = 0.0
        weights["gzip" if coding == "x-gzip" else coding] = weight
    return weights


def choose_encoding(header: str | None, available: Iterable[str]) -> str | None:
    """The coding to send among ``available`` (in the server's order of preference): the one
    the browser weighs highest, the first on a tie; None for the file as it is."""
    if not header:
        return None
    weights = accepted_encodings(header)
    chosen, best = None, 0.0
    for coding in available:
        weight = weights.get(coding, weights.get("*", 0.0))
        if weight > best:
            chosen, best = coding, weight
    return chosen


def _file(path: Path, request: Request, cache_control: str) -> FileResponse:
    headers = {"Cache-Control": cache_control, "Content-Security-Policy": SPA_CSP}
    # The type is the file's own, whichever encoding of it is sent.
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    copies = {
        coding: path.with_name(path.name + suffix)
        for coding, suffix in ENCODINGS.items()
        if path.with_name(path.name + suffix).is_file()
    }
    if not copies:
        return FileResponse(path, media_type=media_type, headers=headers)
    headers["Vary"] = "Accept-Encoding"
    coding = choose_encoding(request.headers.get("accept-encoding"), copies)
    if coding is None:
        return FileResponse(path, media_type=media_type, headers=headers)
    headers["Content-Encoding"] = coding
    return FileResponse(copies[coding], media_type=media_type, headers=headers)


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
            inside = candidate.relative_to(root).parts if candidate.is_relative_to(root) else None
            is_file = inside is not None and candidate.is_file()
        except (OSError, ValueError):  # NUL bytes, names too long
            inside, is_file = None, False
        if inside:
            if candidate.name.endswith(HIDDEN_SUFFIXES) or any(p.startswith(".") for p in inside):
                raise NotFound("No such file.")
            if is_file:
                assets = inside[0] == "assets"
                return _file(candidate, request, IMMUTABLE if assets else REVALIDATE)
            if inside[0] == "assets":
                raise NotFound("No such file.")
        # Anything else is a screen of the app: its router decides what to show.
        return _file(index, request, REVALIDATE)

    return SPARoute("/{path:path}", serve, methods=["GET", "HEAD"], include_in_schema=False)
