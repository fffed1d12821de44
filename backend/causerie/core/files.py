"""Serving stored files, and the storage dependency."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from causerie.core.errors import NotFound, responses
from causerie.core.storage import Storage


async def get_storage(request: Request) -> Storage:
    storage: Storage = request.app.state.storage
    return storage


StorageDep = Annotated[Storage, Depends(get_storage)]

router = APIRouter(tags=["files"])


@router.get(
    "/files/{name}",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}, **responses(NotFound)},
)
async def read_file(name: str, storage: StorageDep) -> Response:
    """A stored public file (space logos). Names are random; content is a re-encoded PNG."""
    data = await storage.get(name)
    if data is None:
        raise NotFound("No such file.")
    return Response(
        data,
        media_type="image/png",
        headers={
            "Cache-Control": "public, max-age=31536000, immutable",
            "Content-Security-Policy": "default-src 'none'",
        },
    )
