"""The world the authorization matrix runs in: real objects of every kind, in three places.

Organization A has the roles' own space (A1: a participant, a suspended participant, and
A's owner, animator and observer as staff) and another space (A2) with a participant of its
own. Organization B (B1) has its own staff and participant; the roles have nothing there.
Each of the three spaces holds one object of every kind a path names (segment, prompt,
answer, reply, probe, invitation, import, probe template, e-mail, notification…), made
through the API where people make them, or with the test factories.

Objects that a call consumes (a member removed, an invitation accepted, a probe answered…)
are made fresh for each call by the ``fresh_*`` makers, so no case depends on another.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import httpx
from fastapi import FastAPI
from starlette.types import Message

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.core.tokens import hash_token, issue_unsubscribe_token, new_opaque_token
from causerie.models import (
    Invitation,
    InvitationKind,
    MagicLinkToken,
    Membership,
    Notification,
    ParticipantStatus,
    SpaceLanguage,
    SpaceStatus,
)
from causerie.models.organizations import Role as StaffRole
from tests.security.matrix_policies import Role, Target
from tests.spaces.images import png
from tests.support.factories import (
    PASSWORD,
    UserInfo,
    add_participant,
    create_email,
    create_organization,
    create_segment,
    create_space,
    create_user,
)

API = "/api/v1"
TARGETS = (Target.own, Target.other_space, Target.other_org)
NIL = uuid.UUID(int=0)  # filled in while the world is built


def prompt_body(**extra: object) -> dict[str, object]:
    """A published discussion, open to everyone of the space since an hour ago."""
    return {
        "kind": "discussion",
        "title": "What do you think?",
        "status": "published",
        "visibility": "open",
        "release": {"kind": "at", "at": (utcnow() - timedelta(hours=1)).isoformat()},
        **extra,
    }


@dataclass
class Tenant:
    """One space and one object of every kind in it (or in its organization)."""

    organization_id: uuid.UUID
    space_id: uuid.UUID
    owner: UserInfo  # the organization's owner, who makes the fresh objects
    author: UserInfo  # the participant who wrote the answer, the reply and got the probe
    empty_space_id: uuid.UUID = NIL  # same organization, no script
    segment_id: uuid.UUID = NIL
    participant_id: uuid.UUID = NIL  # a bystander participant, for staff changes
    member_id: uuid.UUID = NIL  # a bystander observer of the organization
    prompt_id: uuid.UUID = NIL
    prompt: dict[str, object] = field(default_factory=dict)
    response_id: uuid.UUID = NIL
    reply_id: uuid.UUID = NIL
    probe_id: uuid.UUID = NIL
    template_id: uuid.UUID = NIL
    invitation_id: uuid.UUID = NIL
    invitation_token: str = ""
    import_id: uuid.UUID = NIL
    email_id: uuid.UUID = NIL
    notification_id: uuid.UUID = NIL  # the author's

    def params(self) -> dict[str, str]:
        return {
            "organization_id": str(self.organization_id),
            "space_id": str(self.space_id),
            "segment_id": str(self.segment_id),
            "participant_id": str(self.participant_id),
            "user_id": str(self.member_id),
            "prompt_id": str(self.prompt_id),
            "response_id": str(self.response_id),
            "reply_id": str(self.reply_id),
            "probe_id": str(self.probe_id),
            "template_id": str(self.template_id),
            "invitation_id": str(self.invitation_id),
            "token": self.invitation_token,
            "import_id": str(self.import_id),
            "email_id": str(self.email_id),
            "notification_id": str(self.notification_id),
        }


@dataclass
class World:
    app: FastAPI
    client: httpx.AsyncClient
    db: Database
    settings: Settings
    tenants: dict[Target, Tenant]
    people: dict[Role, UserInfo]
    headers: dict[uuid.UUID, dict[str, str]]  # by person
    notifications: dict[Role, uuid.UUID]  # each role's own notification
    file_name: str = ""

    def headers_of(self, role: Role) -> dict[str, str]:
        return {} if role is Role.anonymous else self.headers[self.people[role].id]

    def tenant(self, target: Target) -> Tenant:
        return self.tenants[Target.own if target is Target.none else target]

    def params(self, role: Role, target: Target) -> dict[str, str]:
        tenant = self.tenant(target)
        params = tenant.params()
        params["name"] = self.file_name
        if target is Target.own:
            params["notification_id"] = str(self.notifications[role])
        return params

    async def call(
        self, method: str, path: str, who: UserInfo, expected: int, **kwargs: object
    ) -> dict[str, object]:
        response = await self.client.request(
            method,
            API + path,
            headers=self.headers[who.id],
            **kwargs,  # type: ignore[arg-type]
        )
        assert response.status_code == expected, f"{method} {path}: {response.text}"
        return dict(response.json()) if response.content else {}

    # --- fresh objects, for the calls that consume theirs ---------------------------------

    async def fresh_member(self, role: Role, target: Target) -> dict[str, str]:
        user = await create_user(self.db)
        async with self.db.writer() as session, session.begin():
            session.add(
                Membership(
                    organization_id=self.tenant(target).organization_id,
                    user_id=user.id,
                    role=StaffRole.observer,
                )
            )
        return {"user_id": str(user.id)}

    async def fresh_segment(self, role: Role, target: Target) -> dict[str, str]:
        name = f"Segment {uuid.uuid4().hex[:8]}"
        return {
            "segment_id": str(await create_segment(self.db, self.tenant(target).space_id, name))
        }

    async def fresh_invitation(self, role: Role, target: Target) -> dict[str, str]:
        invitation_id, _token = await self.invite(
            target, f"new-{uuid.uuid4().hex[:10]}@example.com"
        )
        return {"invitation_id": str(invitation_id)}

    async def invitation_for_caller(self, role: Role, target: Target) -> dict[str, str]:
        """Own target: addressed to the caller (anonymous: to an existing account).
        Elsewhere: to an address that has no account yet."""
        if target is Target.own:
            email = self.people[Role.participant if role is Role.anonymous else role].email
        else:
            email = f"new-{uuid.uuid4().hex[:10]}@example.com"
        _id, token = await self.invite(target, email)
        return {"token": token}

    async def fresh_import(self, role: Role, target: Target) -> dict[str, str]:
        tenant = self.tenant(target)
        csv = f"email,segments,display_name\nrow-{uuid.uuid4().hex[:10]}@example.com,,Row\n"
        preview = await self.call(
            "POST",
            f"/spaces/{tenant.space_id}/invitations/import",
            tenant.owner,
            201,
            files={"file": ("people.csv", csv.encode())},
        )
        return {"import_id": str(preview["id"])}

    async def fresh_prompt(self, role: Role, target: Target) -> dict[str, str]:
        tenant = self.tenant(target)
        body = prompt_body(key=f"fresh-{uuid.uuid4().hex[:8]}", status="draft")
        prompt = await self.call(
            "POST", f"/spaces/{tenant.space_id}/prompts", tenant.owner, 201, json=body
        )
        return {"prompt_id": str(prompt["id"])}

    async def fresh_probe(self, role: Role, target: Target) -> dict[str, str]:
        tenant = self.tenant(target)
        probe = await self.call(
            "POST",
            f"/responses/{tenant.response_id}/probes",
            tenant.owner,
            201,
            json={"text": "Which one?", "visibility": "public"},
        )
        return {"probe_id": str(probe["id"])}

    async def fresh_template(self, role: Role, target: Target) -> dict[str, str]:
        tenant = self.tenant(target)
        template = await self.call(
            "POST",
            f"/organizations/{tenant.organization_id}/probe-templates",
            tenant.owner,
            201,
            json={"title": "Why", "text": "Tell us why."},
        )
        return {"template_id": str(template["id"])}

    async def fresh_magic_link(self, role: Role, target: Target) -> dict[str, str]:
        user = await create_user(self.db, with_password=False)
        token = new_opaque_token()
        async with self.db.writer() as session, session.begin():
            session.add(
                MagicLinkToken(
                    user_id=user.id,
                    token_hash=hash_token(token),
                    expires_at=utcnow() + timedelta(minutes=15),
                )
            )
        return {"magic_token": token}

    async def unsubscribe_link(self, role: Role, target: Target) -> dict[str, str]:
        tenant = self.tenants[Target.own]
        return {"unsubscribe_token": issue_unsubscribe_token(self.settings, tenant.participant_id)}

    async def invite(self, target: Target, email: str) -> tuple[uuid.UUID, str]:
        """A pending invitation into the target's space, with its link's token."""
        tenant = self.tenant(target)
        token = new_opaque_token()
        async with self.db.writer() as session, session.begin():
            invitation = Invitation(
                organization_id=tenant.organization_id,
                space_id=tenant.space_id,
                kind=InvitationKind.participant,
                email=email,
                language="en",
                token_hash=hash_token(token),
                expires_at=utcnow() + timedelta(days=7),
                last_sent_at=utcnow(),
                send_count=1,
                invited_by_user_id=tenant.owner.id,
            )
            session.add(invitation)
            await session.flush()
            return invitation.id, token


async def sign_in(client: httpx.AsyncClient, user: UserInfo) -> dict[str, str]:
    response = await client.post(
        f"{API}/auth/login", json={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def _notification(db: Database, user: UserInfo, tenant: Tenant | None) -> uuid.UUID:
    async with db.writer() as session, session.begin():
        notification = Notification(
            user_id=user.id,
            organization_id=tenant.organization_id if tenant else None,
            space_id=tenant.space_id if tenant else None,
            kind="reminder",
            title="Something for you",
            dedup_key=f"matrix:{uuid.uuid4().hex}",
        )
        session.add(notification)
        await session.flush()
        return notification.id


async def _organization(db: Database, name: str) -> tuple[uuid.UUID, dict[StaffRole, UserInfo]]:
    staff = {role: await create_user(db, display_name=f"{name} {role.value}") for role in StaffRole}
    bystander = await create_user(db, display_name=f"{name} bystander")
    members = {user: role for role, user in staff.items()} | {bystander: StaffRole.observer}
    organization_id = await create_organization(db, name=name, members=members)
    return organization_id, staff


async def _space(db: Database, organization_id: uuid.UUID, title: str) -> uuid.UUID:
    return await create_space(
        db,
        organization_id,
        title=title,
        language=SpaceLanguage.en,
        status=SpaceStatus.open,
        opened_at=utcnow() - timedelta(days=2),
    )


async def _bystander_member(db: Database, organization_id: uuid.UUID) -> uuid.UUID:
    user = await create_user(db, display_name="Bystander")
    async with db.writer() as session, session.begin():
        session.add(
            Membership(organization_id=organization_id, user_id=user.id, role=StaffRole.observer)
        )
    return user.id


async def _furnish(world: World, target: Target, label: str) -> None:
    """One object of every kind in the target's space, made as people make them."""
    db, tenant = world.db, world.tenants[target]
    space = tenant.space_id
    tenant.empty_space_id = await create_space(db, tenant.organization_id, title=f"{label} empty")
    tenant.segment_id = await create_segment(db, space, f"{label} segment")
    bystander = await create_user(db, display_name=f"{label} bystander")
    tenant.participant_id = await add_participant(db, space, bystander, f"Bystander {label}")
    tenant.member_id = await _bystander_member(db, tenant.organization_id)

    tenant.prompt = prompt_body(key="matrix")
    prompt = await world.call(
        "POST", f"/spaces/{space}/prompts", tenant.owner, 201, json=tenant.prompt
    )
    tenant.prompt_id = uuid.UUID(str(prompt["id"]))
    answer = await world.call(
        "POST", f"/prompts/{tenant.prompt_id}/responses", tenant.author, 201, json={"text": "Nice"}
    )
    tenant.response_id = uuid.UUID(str(answer["id"]))
    reply = await world.call(
        "POST",
        f"/responses/{tenant.response_id}/replies",
        tenant.author,
        201,
        json={"text": "Indeed"},
    )
    tenant.reply_id = uuid.UUID(str(reply["id"]))
    tenant.probe_id = uuid.UUID((await world.fresh_probe(Role.owner, target))["probe_id"])
    tenant.template_id = uuid.UUID((await world.fresh_template(Role.owner, target))["template_id"])
    tenant.invitation_id, tenant.invitation_token = await world.invite(
        target, f"invitee-{label.lower()}@example.com"
    )
    tenant.import_id = uuid.UUID((await world.fresh_import(Role.owner, target))["import_id"])
    tenant.email_id = await create_email(db, organization_id=tenant.organization_id)
    tenant.notification_id = await _notification(db, tenant.author, tenant)


async def build_world(
    app: FastAPI, client: httpx.AsyncClient, db: Database, settings: Settings
) -> World:
    org_a, staff_a = await _organization(db, "Brand A")
    org_b, staff_b = await _organization(db, "Brand B")
    space_a1 = await _space(db, org_a, "A1")
    space_a2 = await _space(db, org_a, "A2")
    space_b1 = await _space(db, org_b, "B1")

    participant = await create_user(db, display_name="Participant")
    suspended = await create_user(db, display_name="Suspended")
    author_a2 = await create_user(db, display_name="A2 participant")
    author_b1 = await create_user(db, display_name="B1 participant")
    await add_participant(db, space_a1, participant, "Rose")
    await add_participant(db, space_a1, suspended, "Sam", status=ParticipantStatus.suspended)
    await add_participant(db, space_a2, author_a2, "Quentin")
    await add_participant(db, space_b1, author_b1, "Rita")

    people = {
        Role.participant: participant,
        Role.suspended: suspended,
        Role.observer: staff_a[StaffRole.observer],
        Role.animator: staff_a[StaffRole.animator],
        Role.owner: staff_a[StaffRole.owner],
    }
    signed_in = [*people.values(), staff_b[StaffRole.owner], author_a2, author_b1]
    headers = {user.id: await sign_in(client, user) for user in signed_in}
    tenants = {
        Target.own: Tenant(org_a, space_a1, owner=staff_a[StaffRole.owner], author=participant),
        Target.other_space: Tenant(
            org_a, space_a2, owner=staff_a[StaffRole.owner], author=author_a2
        ),
        Target.other_org: Tenant(org_b, space_b1, owner=staff_b[StaffRole.owner], author=author_b1),
    }
    world = World(app, client, db, settings, tenants, people, headers, notifications={})
    for target, label in zip(TARGETS, ("A1", "A2", "B1"), strict=True):
        await _furnish(world, target, label)
    world.notifications = {
        role: await _notification(db, user, tenants[Target.own]) for role, user in people.items()
    }
    world.notifications[Role.anonymous] = world.notifications[Role.participant]
    world.file_name = await app.state.storage.put(png(), suffix=".png")
    return world


async def stream_status(app: FastAPI, path: str, headers: dict[str, str]) -> int:
    """The status of a streaming GET, read from the response start; then hang up.

    httpx's ASGI transport waits for the whole body, which a live stream never ends.
    """
    started = asyncio.Event()
    status: list[int] = []
    requested = False

    async def receive() -> Message:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await started.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            status.append(int(message["status"]))
            started.set()

    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver.local")]
        + [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver.local", 80),
        "state": {},
    }
    await asyncio.wait_for(app(scope, receive, send), timeout=20)
    return status[0]
