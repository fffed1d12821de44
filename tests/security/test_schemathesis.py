"""Every operation of the OpenAPI document, fuzzed as each role, keeps its contract.

schemathesis reads the document the app serves at run time (no list of operations here, so a
new endpoint is covered the day it appears), generates requests from it, aims path
parameters at real objects of the seeded world most of the time, and checks every answer:
no server error, a declared status and content type, a body matching its schema, no
operation answering without the authentication it declares, and nothing readable after it
was deleted. A fixed seed and example count keep the run the same every time and bounded
(about ten to twenty seconds of CPU per role).

Every role gets the examples, fuzzing (valid and invalid inputs) and stateful phases over
every operation; the owner and the participant, who reach the deepest code on each side,
also get the coverage phase (every boundary value the schema defines, valid ones only: the
invalid ones are refused by the same validation layer for every operation).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import hypothesis.strategies as st
import pytest
import schemathesis
from fastapi import FastAPI
from schemathesis.engine import Status, events
from schemathesis.engine.recorder import ScenarioRecorder
from schemathesis.python import asgi

from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.main import create_app
from tests.security.conftest import World, known_ids, stored_files

SEED = 20261202
MAX_EXAMPLES = 6
STATEFUL_STEPS = 15
OPENAPI = "/api/v1/openapi.json"
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "ignored_auth",
    "use_after_free",
)


@dataclass(frozen=True)
class Role:
    person: str | None  # who of the world plays it; None: nobody signed in
    coverage: bool = False


ROLES = {
    "anonymous": Role(None),
    "participant": Role("rose", coverage=True),
    "observer": Role("observer"),
    "animator": Role("animator"),
    "owner": Role("owner", coverage=True),
}


def schemathesis_config(headers: dict[str, str], role: Role) -> schemathesis.Config:
    checks: dict[str, Any] = {"enabled": False, **{name: {"enabled": True} for name in CHECKS}}
    coverage: dict[str, Any] = {"enabled": role.coverage, "generation": {"mode": "positive"}}
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "headers": headers,
            "request-timeout": 20,
            "max-stream-events": 1,
            "generation": {
                "mode": "all",
                "max-examples": MAX_EXAMPLES,
                "database": "none",
                "unique-inputs": True,
            },
            "checks": checks,
            "phases": {"coverage": coverage, "stateful": {"max-steps": STATEFUL_STEPS}},
            # A live stream with nothing new to say only sends heartbeats: cut it short.
            "operations": [{"include-path": "/api/v1/me/events", "request-timeout": 0.5}],
        }
    )


def path_parameters(raw_schema: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    for item in raw_schema.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict):
                names |= {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
    return names


def aim_at_real_objects(schema: Any, ids: dict[str, list[str]]) -> None:
    """Two path parameters in three name an existing object of their kind."""

    def flatmap_path_parameters(
        context: schemathesis.HookContext, parameters: dict[str, Any] | None
    ) -> st.SearchStrategy[dict[str, Any] | None]:
        if not parameters:
            return st.just(parameters)
        return st.fixed_dictionaries(
            {
                name: st.just(value) | st.sampled_from(ids[name]) | st.sampled_from(ids[name])
                if ids.get(name)
                else st.just(value)
                for name, value in parameters.items()
            }
        )

    schema.hook("flatmap_path_parameters")(flatmap_path_parameters)


@contextmanager
def actor_kept_in(me: str | None) -> Iterator[None]:
    """The acting person never leaves their space nor removes or demotes themselves.

    Such a call would lock them out of the world for the rest of the run (their own tests
    prove those operations); it is sent to an object that does not exist instead, in every
    phase, including stateful links that found the person's own ids in earlier answers.
    (schemathesis runs ``before_call`` hooks from its global registry only.)
    """

    def before_call(context: schemathesis.HookContext, case: Any, kwargs: dict[str, Any]) -> None:
        parameters = dict(case.path_parameters or {})
        if case.path.endswith("/leave") and "space_id" in parameters:
            parameters["space_id"] = str(uuid.uuid4())
        if me is not None and str(parameters.get("user_id")) == me:
            parameters["user_id"] = str(uuid.uuid4())
        case.path_parameters = parameters

    schemathesis.hook("before_call")(before_call)
    try:
        yield
    finally:
        schemathesis.hooks.unregister(before_call)


def failures_of(recorder: ScenarioRecorder) -> Iterator[str]:
    for case_id, checks in recorder.checks.items():
        for check in checks:
            if check.status is not Status.FAILURE or check.failure_info is None:
                continue
            failure = check.failure_info.failure
            response = recorder.find_response(case_id=case_id)
            answer = f"\n  -> {response.status_code} {response.text[:300]!r}" if response else ""
            yield (
                f"[{check.name}] {failure.operation or recorder.label}: {failure.title}\n"
                f"  {failure.message}\n  {check.failure_info.code_sample}{answer}"
            )


@dataclass
class Outcome:
    problems: list[str]
    requests: dict[str, int]  # per phase
    operations: set[str]
    succeeded: set[str]  # operations that answered 2xx at least once
    cpu_seconds: float
    wall_seconds: float


def run(schema: Any) -> Outcome:
    """All phases over every operation: the failures found and what was sent."""
    cpu, wall = time.process_time(), time.perf_counter()
    problems: set[str] = set()
    requests: dict[str, int] = {}
    operations: set[str] = set()
    succeeded: set[str] = set()
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            phase = str(event.phase)
            requests[phase] = requests.get(phase, 0) + len(event.recorder.interactions)
            if event.recorder.interactions:
                operations.add(event.recorder.label)
            for node in event.recorder.cases.values():
                response = event.recorder.find_response(case_id=node.value.id)
                if response is not None and 200 <= response.status_code < 300:
                    succeeded.add(node.value.operation.label)
            problems.update(failures_of(event.recorder))
        elif isinstance(event, events.NonFatalError):
            problems.add(f"[error] {event.label}: {event.info.format()}")
        elif isinstance(event, events.FatalError):
            problems.add(f"[fatal] {event.exception!r}")
    return Outcome(
        sorted(problems),
        requests,
        operations,
        succeeded,
        time.process_time() - cpu,
        time.perf_counter() - wall,
    )


async def readable(
    client: httpx.AsyncClient, paths: list[str], headers: dict[str, str]
) -> list[str]:
    return [path for path in paths if (await client.get(path, headers=headers)).status_code == 200]


@pytest.mark.parametrize("role", ROLES)
async def test_every_operation_keeps_its_contract_for_every_role(
    role: str, world: World, settings: Settings, db: Database, client: httpx.AsyncClient
) -> None:
    plan = ROLES[role]
    headers = world.headers[plan.person] if plan.person else {}
    assert await readable(client, world.reads[role], headers) == world.reads[role]
    # An app of its own: schemathesis serves it on its own event loop, in another thread.
    app: FastAPI = create_app(settings)
    try:
        config = schemathesis_config(headers, plan)
        schema = schemathesis.openapi.from_asgi(OPENAPI, app, config=config)
        ids = await known_ids(db, path_parameters(schema.raw_schema))
        ids["name"] = stored_files(settings)
        aim_at_real_objects(schema, ids)
        me = str(world.stage.people[plan.person].id) if plan.person else None
        with actor_kept_in(me):
            outcome = await asyncio.to_thread(run, schema)
    finally:
        asgi.shutdown_lifespans()
    print(
        f"schemathesis as {role}: {sum(outcome.requests.values())} requests {outcome.requests}"
        f" over {len(outcome.operations)} operations, {len(outcome.succeeded)} answered 2xx;"
        f" {outcome.cpu_seconds:.1f}s CPU, {outcome.wall_seconds:.1f}s wall"
    )
    # The acting person still reaches the world (the run did not lock them out early) …
    assert await readable(client, world.reads[role], headers) == world.reads[role]
    # … and every operation of the document was called (stateful steps come on top).
    fuzzed = {label for label in outcome.operations if label != "Stateful tests"}
    assert len(fuzzed) == len(list(schema.get_all_operations()))
    assert not outcome.problems, f"{len(outcome.problems)} contract failures as {role}:\n\n" + (
        "\n\n".join(outcome.problems)
    )
