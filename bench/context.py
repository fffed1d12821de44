"""What the cases share: the profile (full or quick), the data sets under test, tokens."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bench.dataset import Facts, Person
from bench.servers import mint, token_settings
from causerie.core.settings import Settings


@dataclass(frozen=True)
class Profile:
    name: str
    participants: int
    # B1, B6: closed loop of `read_connections` for `read_seconds` after a warm-up.
    read_connections: int
    read_seconds: float
    read_warmup: float
    # B2: page at this cursor depth (or as deep as the list goes) ÷ first page.
    depth: int
    depth_samples: int
    # B4: open loop at `write_rate`/s for `write_seconds`; closed loops of `writers`.
    write_rate: float
    write_seconds: float
    writers: tuple[int, ...]
    saturated_seconds: float
    health_rate: float
    request_timeout: float
    # B5: live streams opened (cumulatively) and the goals for the last delivery at each.
    streams: tuple[int, ...]
    stream_goals_ms: tuple[float, ...]
    triggers: int
    live_timeout: float
    # B6: wrong-password logins arriving at `flood_rate`/s from `flood_ips` addresses.
    flood_rate: float
    flood_ips: int


FULL = Profile(
    name="full",
    participants=5_000,
    read_connections=32,
    read_seconds=20,
    read_warmup=3,
    depth=100_000,
    depth_samples=30,
    write_rate=50,
    write_seconds=60,
    writers=(32, 100),
    saturated_seconds=60,
    health_rate=5,
    request_timeout=30,
    streams=(1_000, 10_000),
    stream_goals_ms=(50, 500),
    triggers=3,
    live_timeout=60,
    flood_rate=100,
    flood_ips=16,
)

QUICK = Profile(
    name="quick",
    participants=200,
    read_connections=32,
    read_seconds=1,
    read_warmup=0.3,
    depth=100_000,
    depth_samples=8,
    write_rate=10,
    write_seconds=2,
    writers=(8, 16),
    saturated_seconds=1,
    health_rate=5,
    request_timeout=10,
    streams=(50, 200),
    stream_goals_ms=(50, 500),
    triggers=1,
    live_timeout=15,
    flood_rate=20,
    flood_ips=4,
)


@dataclass
class Target:
    """One database under test: its fresh copy, ids, and participants of the main space."""

    label: str  # "PostgreSQL" or "SQLite"
    url: str
    facts: Facts
    people: list[Person]


@dataclass
class Context:
    profile: Profile
    data_dir: Path
    pin: bool
    redis_url: str
    postgres: Target
    sqlite: Target | None = None
    settings: Settings = field(default_factory=token_settings)

    def token(self, person: Person) -> str:
        return mint(self.settings, person)

    def staff_tokens(self, target: Target) -> list[str]:
        return [self.token(person) for person in target.facts.staff.values()]

    def participant_tokens(self, target: Target, count: int) -> list[str]:
        return [self.token(person) for person in target.people[:count]]
