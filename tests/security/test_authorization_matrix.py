"""Every API route, called by every role on every target, answers what its access policy says.

The routes come from the app itself at run time; ``ROUTES`` gives each one its policy
(see ``matrix_policies``) and, where the route reads a body, a valid one — FastAPI checks a
body before the route decides who may call it, so a malformed body would answer 422 and
hide a 403 or a 404. A new route without an entry fails the first test: add it here with
the policy the product means, not the one the code happens to have.

Roles: anonymous, participant and suspended participant (of the own space), observer,
animator, owner (of the own space's organization). Targets: the own space, another space of
the same organization, a space of another organization (see ``matrix_world``).
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx
from fastapi import FastAPI
from fastapi.routing import APIRoute

from causerie.core.database import Database
from causerie.core.settings import Settings
from tests.security.matrix_policies import (
    ALLOWED,
    Expected,
    Policy,
    Role,
    Target,
    expected,
    expected_code,
)
from tests.security.matrix_world import API, TARGETS, World, build_world, stream_status
from tests.spaces.images import png
from tests.support.factories import PASSWORD

P = Policy


@dataclass(frozen=True)
class Case:
    world: World
    role: Role
    target: Target
    params: dict[str, str]


@dataclass(frozen=True)
class Body:
    json: object = None
    files: dict[str, tuple[str, bytes, str]] | None = None


Fresh = Callable[[World, Role, Target], Awaitable[dict[str, str]]]


@dataclass(frozen=True)
class Rule:
    policy: Policy
    body: Callable[[Case], Body] | None = None
    # Makes the objects the call consumes, fresh for each case (path parameters or values
    # the body reads).
    fresh: Fresh | None = None
    # Calls that change the caller's own standing run after all others, in this order:
    # 1 leaving a space, 2 joining one, 3 ending the session.
    phase: int = 0
    stream: bool = False


def json(value: object | Callable[[Case], object]) -> Callable[[Case], Body]:
    return lambda case: Body(json=value(case) if callable(value) else value)


def image(case: Case) -> Body:
    return Body(files={"file": ("image.png", png(), "image/png")})


def csv(case: Case) -> Body:
    rows = f"email,segments,display_name\nlea-{uuid.uuid4().hex[:8]}@example.com,,Lea\n"
    return Body(files={"file": ("people.csv", rows.encode(), "text/csv")})


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


TEXT = json({"text": "Matrix"})

ROUTES: dict[tuple[str, str], Rule] = {
    ("GET", "/health"): Rule(P.public),
    ("HEAD", "/health"): Rule(P.public),
    # --- accounts
    ("POST", "/auth/login"): Rule(
        P.public,
        json(lambda c: {"email": c.world.people[Role.participant].email, "password": PASSWORD}),
    ),
    ("POST", "/auth/refresh"): Rule(P.refresh_cookie),
    ("POST", "/auth/logout"): Rule(P.public, phase=3),
    ("POST", "/auth/magic-link"): Rule(
        P.public, json(lambda c: {"email": f"{unique('nobody')}@example.com"})
    ),
    ("POST", "/auth/magic-link/consume"): Rule(
        P.public,
        json(lambda c: {"token": c.params["magic_token"]}),
        fresh=World.fresh_magic_link,
    ),
    ("GET", "/me"): Rule(P.authenticated),
    # Same password again: the world's people keep signing in with it.
    ("POST", "/me/password"): Rule(
        P.authenticated,
        json({"current_password": PASSWORD, "new_password": PASSWORD}),
        phase=3,
    ),
    # Nothing changes until the link sent to the new address is followed.
    ("POST", "/me/email"): Rule(
        P.authenticated,
        json(lambda c: {"new_email": f"{unique('moved')}@example.com", "password": PASSWORD}),
    ),
    ("POST", "/auth/password-reset"): Rule(
        P.public, json(lambda c: {"email": f"{unique('nobody')}@example.com"})
    ),
    # Public: a link's token is the only credential (an unknown one is 410, not 401).
    ("POST", "/auth/password-reset/confirm"): Rule(
        P.public, json({"token": "x" * 43, "new_password": "another long passphrase"})
    ),
    ("POST", "/auth/email-change/confirm"): Rule(P.public, json({"token": "x" * 43})),
    # --- organizations and their staff
    ("GET", "/organizations"): Rule(P.authenticated),
    ("POST", "/organizations"): Rule(P.platform_admin, json({"name": "Matrix brand"})),
    ("GET", "/organizations/{organization_id}"): Rule(P.staff_read),
    ("PATCH", "/organizations/{organization_id}"): Rule(
        P.owner_only, json({"name": "Renamed brand"})
    ),
    ("GET", "/organizations/{organization_id}/members"): Rule(P.staff_read),
    ("POST", "/organizations/{organization_id}/members"): Rule(
        P.owner_only,
        json(lambda c: {"email": f"{unique('member')}@example.com", "role": "observer"}),
    ),
    ("PATCH", "/organizations/{organization_id}/members/{user_id}"): Rule(
        P.owner_only, json({"role": "observer"})
    ),
    ("DELETE", "/organizations/{organization_id}/members/{user_id}"): Rule(
        P.owner_only, fresh=World.fresh_member
    ),
    ("GET", "/organizations/{organization_id}/emails"): Rule(P.owner_only),
    ("GET", "/organizations/{organization_id}/emails/{email_id}"): Rule(P.owner_only),
    # --- spaces and segments
    ("GET", "/organizations/{organization_id}/spaces"): Rule(P.staff_read),
    ("POST", "/organizations/{organization_id}/spaces"): Rule(
        P.staff_edit, json({"title": "Matrix", "objective": "relationship", "language": "en"})
    ),
    ("GET", "/spaces/{space_id}"): Rule(P.staff_read),
    ("GET", "/spaces/{space_id}/welcome"): Rule(P.public),
    ("PATCH", "/spaces/{space_id}"): Rule(P.staff_edit, json({"title": "Matrix space"})),
    ("PUT", "/spaces/{space_id}/logo"): Rule(P.staff_edit, image),
    ("DELETE", "/spaces/{space_id}/logo"): Rule(P.staff_edit),
    ("GET", "/spaces/{space_id}/segments"): Rule(P.staff_read),
    ("POST", "/spaces/{space_id}/segments"): Rule(
        P.staff_edit, json(lambda c: {"name": unique("Segment")})
    ),
    ("PATCH", "/spaces/{space_id}/segments/{segment_id}"): Rule(
        P.staff_edit, json(lambda c: {"name": unique("Renamed")})
    ),
    ("DELETE", "/spaces/{space_id}/segments/{segment_id}"): Rule(
        P.staff_edit, fresh=World.fresh_segment
    ),
    # --- participants: the staff view, and each participant's own
    ("GET", "/spaces/{space_id}/participants"): Rule(P.staff_read),
    ("PATCH", "/spaces/{space_id}/participants/{participant_id}"): Rule(
        P.staff_edit, json({"segment_ids": []})
    ),
    ("GET", "/me/spaces"): Rule(P.authenticated),
    ("GET", "/me/spaces/{space_id}"): Rule(P.my_participation),
    ("PATCH", "/me/spaces/{space_id}"): Rule(
        P.my_participation, json({"email_notifications": "immediate"})
    ),
    ("POST", "/me/spaces/{space_id}/visit"): Rule(P.my_participation),
    ("POST", "/me/spaces/{space_id}/leave"): Rule(P.my_participation, phase=1),
    ("GET", "/me/spaces/{space_id}/participants"): Rule(P.my_participation),
    ("GET", "/me/spaces/{space_id}/probes"): Rule(P.my_participation),
    # --- invitations
    ("GET", "/spaces/{space_id}/invitations"): Rule(P.staff_edit),
    ("POST", "/spaces/{space_id}/invitations"): Rule(
        P.staff_edit, json(lambda c: {"email": f"{unique('invitee')}@example.com"})
    ),
    ("POST", "/spaces/{space_id}/invitations/import"): Rule(P.staff_edit, csv),
    ("GET", "/spaces/{space_id}/invitations/import/{import_id}"): Rule(P.staff_edit),
    ("POST", "/spaces/{space_id}/invitations/import/{import_id}/commit"): Rule(
        P.staff_edit, fresh=World.fresh_import
    ),
    ("GET", "/organizations/{organization_id}/invitations"): Rule(P.owner_only),
    ("POST", "/organizations/{organization_id}/invitations"): Rule(
        P.owner_only,
        json(lambda c: {"email": f"{unique('staff')}@example.com", "role": "observer"}),
    ),
    ("POST", "/invitations/{invitation_id}/revoke"): Rule(
        P.staff_edit, fresh=World.fresh_invitation
    ),
    ("POST", "/invitations/{invitation_id}/resend"): Rule(
        P.staff_edit, fresh=World.fresh_invitation
    ),
    ("GET", "/invitations/{token}"): Rule(P.public),
    ("POST", "/invitations/{token}"): Rule(
        P.invitation_accept,
        json(lambda c: {"accept_terms": True, "pseudonym": unique("Joiner")}),
        fresh=World.invitation_for_caller,
        phase=2,
    ),
    # --- the script
    ("GET", "/spaces/{space_id}/prompts"): Rule(P.staff_read),
    ("POST", "/spaces/{space_id}/prompts"): Rule(
        P.staff_edit,
        json({"kind": "discussion", "title": "Another question", "status": "draft"}),
    ),
    # One prompt of several: refused (422) once authorized, and nothing moves.
    ("PUT", "/spaces/{space_id}/prompts/order"): Rule(
        P.staff_edit, json(lambda c: {"prompt_ids": [c.params["prompt_id"]]})
    ),
    ("GET", "/spaces/{space_id}/script"): Rule(P.staff_read),
    # An empty script would remove the answered prompt: refused (409) once authorized.
    ("PUT", "/spaces/{space_id}/script"): Rule(P.staff_edit, json({"version": 1, "prompts": []})),
    ("POST", "/spaces/{space_id}/script/copy"): Rule(
        P.staff_edit,
        json(lambda c: {"from_space_id": str(c.world.tenant(c.target).empty_space_id)}),
    ),
    ("GET", "/prompts/{prompt_id}"): Rule(P.staff_read),
    ("PUT", "/prompts/{prompt_id}"): Rule(
        P.staff_edit, json(lambda c: c.world.tenant(c.target).prompt)
    ),
    ("DELETE", "/prompts/{prompt_id}"): Rule(P.staff_edit, fresh=World.fresh_prompt),
    ("POST", "/prompts/{prompt_id}/duplicate"): Rule(P.staff_edit),
    ("PUT", "/prompts/{prompt_id}/image"): Rule(P.staff_edit, image),
    ("DELETE", "/prompts/{prompt_id}/image"): Rule(P.staff_edit),
    ("POST", "/prompts/{prompt_id}/release"): Rule(P.staff_edit),
    ("POST", "/prompts/{prompt_id}/close"): Rule(P.staff_edit),
    ("GET", "/spaces/{space_id}/timeline"): Rule(P.staff_read),
    # --- answers
    ("POST", "/prompts/{prompt_id}/responses"): Rule(P.participant_action, TEXT),
    ("GET", "/prompts/{prompt_id}/responses"): Rule(P.participant_or_staff_read),
    ("PATCH", "/responses/{response_id}"): Rule(P.author_only, json({"text": "Edited"})),
    ("GET", "/me/spaces/{space_id}/timeline"): Rule(P.my_participation),
    # --- conversations
    ("GET", "/responses/{response_id}/replies"): Rule(P.participant_or_staff_read),
    ("POST", "/responses/{response_id}/replies"): Rule(P.participant_or_editor_write, TEXT),
    ("PATCH", "/replies/{reply_id}"): Rule(P.author_only, TEXT),
    ("POST", "/responses/{response_id}/reactions"): Rule(
        P.participant_or_editor_write, json({"kind": "heart"})
    ),
    ("POST", "/replies/{reply_id}/reactions"): Rule(
        P.participant_or_editor_write, json({"kind": "heart"})
    ),
    ("GET", "/responses/{response_id}/probes"): Rule(P.participant_or_staff_read),
    ("POST", "/responses/{response_id}/probes"): Rule(
        P.editor_action_seen_by_participants, json({"text": "Why?", "visibility": "public"})
    ),
    ("POST", "/probes/{probe_id}/answer"): Rule(P.author_only, TEXT, fresh=World.fresh_probe),
    ("GET", "/spaces/{space_id}/probes"): Rule(P.staff_read),
    ("GET", "/responses/{response_id}/notes"): Rule(P.backroom_read),
    ("POST", "/responses/{response_id}/notes"): Rule(P.backroom_write, TEXT),
    ("GET", "/replies/{reply_id}/notes"): Rule(P.backroom_read),
    ("POST", "/replies/{reply_id}/notes"): Rule(P.backroom_write, TEXT),
    ("GET", "/prompts/{prompt_id}/waiting"): Rule(P.staff_read),
    ("POST", "/prompts/{prompt_id}/nudge"): Rule(P.staff_edit),
    ("GET", "/organizations/{organization_id}/probe-templates"): Rule(P.staff_read),
    ("POST", "/organizations/{organization_id}/probe-templates"): Rule(
        P.staff_edit, json({"title": "Why", "text": "Tell us why."})
    ),
    ("PUT", "/probe-templates/{template_id}"): Rule(
        P.staff_edit, json({"title": "Why", "text": "Tell us more."})
    ),
    ("DELETE", "/probe-templates/{template_id}"): Rule(P.staff_edit, fresh=World.fresh_template),
    # --- notifications
    ("GET", "/me/notifications"): Rule(P.authenticated),
    ("POST", "/me/notifications/read-all"): Rule(P.authenticated),
    ("POST", "/me/notifications/{notification_id}/read"): Rule(P.my_notification),
    ("POST", "/unsubscribe"): Rule(
        P.public,
        json(lambda c: {"token": c.params["unsubscribe_token"]}),
        fresh=World.unsubscribe_link,
    ),
    # --- live events and stored files
    ("GET", "/me/events"): Rule(P.authenticated, stream=True),
    ("GET", "/files/{name}"): Rule(P.public),
}


def api_routes(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path without the /api/v1 prefix) for every API route the app serves."""
    try:  # FastAPI >= 0.137 keeps included routers whole; read their effective routes
        from fastapi.routing import iter_route_contexts
    except ImportError:  # pragma: no cover - older FastAPI flattened them into app.routes
        contexts = [(route, getattr(route, "path", "")) for route in app.routes]
    else:
        contexts = [(c.original_route, c.path or "") for c in iter_route_contexts(app.routes)]
    found = set()
    for route, path in contexts:
        if isinstance(route, APIRoute) and path.startswith(API + "/"):
            found |= {(method, path.removeprefix(API)) for method in route.methods or ()}
    return found


def test_every_api_route_has_an_access_policy(app: FastAPI) -> None:
    served = api_routes(app)
    assert len(served) > 50, f"only {len(served)} API routes found: is the enumeration broken?"
    missing = sorted(served - ROUTES.keys(), key=lambda r: (r[1], r[0]))
    stale = sorted(ROUTES.keys() - served, key=lambda r: (r[1], r[0]))
    message = []
    if missing:
        message.append(
            "Routes without an access policy: add each to ROUTES in "
            "tests/security/test_authorization_matrix.py with the Policy it should have "
            "(and a valid body if it reads one):\n"
            + "\n".join(f"    {method} {API}{path}" for method, path in missing)
        )
    if stale:
        message.append(
            "ROUTES lists routes the app no longer serves; remove them:\n"
            + "\n".join(f"    {method} {API}{path}" for method, path in stale)
        )
    assert not message, "\n\n".join(message)


@dataclass
class Outcome:
    method: str
    path: str
    role: Role
    target: Target
    expected: Expected
    got: int
    code: str = ""
    expected_code: str | None = None

    @property
    def ok(self) -> bool:
        if self.got >= 500:
            return False
        if self.expected == ALLOWED:
            return self.got not in (401, 403, 404)
        if self.expected_code is not None:  # the app explains some refusals by their code
            return self.got == self.expected and self.code == self.expected_code
        return self.got == self.expected


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def table(self) -> str:
        bad = [o for o in self.outcomes if not o.ok]
        rows = [("route", "role", "target", "expected", "got")] + [
            (
                f"{o.method} {o.path}",
                o.role.value,
                o.target.value,
                f"{o.expected} {o.expected_code or ''}",
                f"{o.got} {o.code}",
            )
            for o in bad
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(5)]
        lines = [
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows
        ]
        return (
            f"{len(bad)} of {len(self.outcomes)} calls answered against their policy:\n"
            + "\n".join(lines)
        )


def cases() -> list[tuple[int, str, str, Rule, Role, Target]]:
    planned = []
    for (method, path), rule in ROUTES.items():
        targets = TARGETS if "{" in path else (Target.none,)
        for role in Role:
            for target in targets:
                planned.append((rule.phase, method, path, rule, role, target))
    return sorted(planned, key=lambda c: c[0])  # stable: table order within a phase


async def call(
    world: World, method: str, path: str, rule: Rule, role: Role, target: Target
) -> Outcome:
    params = world.params(role, target)
    if rule.fresh is not None:
        params |= await rule.fresh(world, role, target)
    url = API + re.sub(r"\{(\w+)\}", lambda m: params[m.group(1)], path)
    headers = world.headers_of(role)
    world.client.cookies.clear()  # the bearer token (or nothing) is the only credential sent
    outcome = Outcome(
        method,
        path,
        role,
        target,
        expected(rule.policy, role, target),
        got=0,
        expected_code=expected_code(rule.policy, role, target),
    )
    if rule.stream:
        outcome.got = await stream_status(world.app, url, headers)
        return outcome
    body = rule.body(Case(world, role, target, params)) if rule.body else Body()
    response = await world.client.request(
        method, url, headers=headers, json=body.json, files=body.files
    )
    outcome.got = response.status_code
    if response.headers.get("content-type", "").startswith("application/problem+json"):
        outcome.code = str(response.json().get("code", ""))
    return outcome


async def test_every_role_gets_what_the_policy_promises_on_every_route_and_target(
    app: FastAPI, client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    started = time.monotonic()
    world = await build_world(app, client, db, settings)
    built = time.monotonic()
    served = api_routes(app)
    report = Report()
    for _phase, method, path, rule, role, target in cases():
        if (method, path) in served:  # the other test reports the difference
            report.outcomes.append(await call(world, method, path, rule, role, target))
    done = time.monotonic()
    print(
        f"authorization matrix: {len(report.outcomes)} calls in {done - built:.1f}s "
        f"(world built in {built - started:.1f}s)"
    )
    assert len(report.outcomes) > 1000
    assert all(o.ok for o in report.outcomes), report.table()
