"""Time list pages on small and huge tables: the cost of a page must not grow with size."""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert

from causerie.core.database import Database
from causerie.core.migrations import upgrade_async
from causerie.core.settings import Settings
from causerie.core.tokens import issue_access_token
from causerie.main import create_app
from causerie.models import Membership, Organization, Role, User

RESULTS = Path(__file__).parent / "results"
BATCH = 5_000


async def build_dataset(database: Database, size: int) -> tuple[uuid.UUID, uuid.UUID]:
    """An organization with ``size`` members; returns (organization id, an owner's id)."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    org_id = uuid.uuid4()
    owner_id = uuid.uuid4()
    async with database.writer() as session, session.begin():
        await session.execute(insert(Organization), [{"id": org_id, "name": f"Bench {size}"}])
        for offset in range(0, size, BATCH):
            count = min(BATCH, size - offset)
            users = [
                {
                    "id": owner_id if offset + i == 0 else uuid.uuid4(),
                    "email": f"member-{size}-{offset + i}@bench.example.com",
                    "display_name": f"Member {offset + i}",
                }
                for i in range(count)
            ]
            await session.execute(insert(User), users)
            await session.execute(
                insert(Membership),
                [
                    {
                        "organization_id": org_id,
                        "user_id": user["id"],
                        "role": Role.owner if offset + i == 0 else Role.observer,
                        "created_at": start + timedelta(seconds=offset + i),
                    }
                    for i, user in enumerate(users)
                ],
            )
    return org_id, owner_id


async def time_requests(client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> float:
    samples = []
    for _ in range(5):  # warm-up
        (await client.get(url, headers=headers)).raise_for_status()
    for _ in range(30):
        began = time.perf_counter()
        (await client.get(url, headers=headers)).raise_for_status()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples)


async def main() -> None:
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,100000").split(",")]
    folder = Path(tempfile.mkdtemp(prefix="causerie-bench-"))
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite+aiosqlite:///{folder}/bench.db"
    await upgrade_async(database_url)
    settings = Settings(
        database_url=database_url, secret_key="bench-" + "b" * 40, spa_dir=folder / "none"
    )
    database = Database.from_url(database_url)
    app = create_app(settings)
    results = []
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bench.local"
    ) as client:
        for size in sizes:
            org_id, owner_id = await build_dataset(database, size)
            headers = {"Authorization": f"Bearer {issue_access_token(settings, owner_id)[0]}"}
            url = f"/api/v1/organizations/{org_id}/members?limit=50"
            first = await time_requests(client, url, headers)
            # Walk to a page near the end to time a deep cursor.
            deep_url = url
            page = (await client.get(url + "&limit=200", headers=headers)).json()
            for _ in range(min(size // 200 - 1, 20)):
                page = (
                    await client.get(f"{url}&cursor={page['next_cursor']}", headers=headers)
                ).json()
            if page["next_cursor"]:
                deep_url = f"{url}&cursor={page['next_cursor']}"
            deep = await time_requests(client, deep_url, headers)
            results.append({"members": size, "first_page_ms": first, "deep_page_ms": deep})
            print(f"{size:>9} members: first page {first:6.2f} ms, deep page {deep:6.2f} ms")
    await app.state.database.dispose()
    await database.dispose()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps({"list_members": results}, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
