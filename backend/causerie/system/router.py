"""Liveness and database check."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from causerie import __version__
from causerie.core.http import get_database

router = APIRouter(tags=["system"])


class HealthRead(BaseModel):
    status: Literal["ok", "degraded"]
    database: Literal["ok", "error"]
    version: str


@router.head("/health", include_in_schema=False)
@router.get(
    "/health", responses={503: {"model": HealthRead, "description": "Database unreachable"}}
)
async def read_health(request: Request, response: Response) -> HealthRead:
    """Is the service up, and can it reach its database?"""
    # A small pool of its own (``Database.probe``), and no write lock: the check answers at
    # once while writers queue or every request connection is taken.
    try:
        async with (await get_database(request)).probe.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError):
        response.status_code = 503
        return HealthRead(status="degraded", database="error", version=__version__)
    return HealthRead(status="ok", database="ok", version=__version__)
