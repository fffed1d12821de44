"""Who may call what: access policies, and the answer each one promises a role on a target.

A pure function of (policy, role, target), written once from the product's rules and never
from the code's behaviour:

- nobody signed in on a protected route: 401;
- a target the role cannot see: 404 — another organization always, a space the
  participant is not in, a staff view for a participant;
- a target the role sees but may not act on: 403 — an observer writing, an animator doing
  an owner's job, a suspended participant doing anything in their space, staff doing what
  only the author (or the probed participant) may do;
- otherwise allowed: any answer but 401, 403 or 404 (a 409 or a 422 raised once the
  caller was authorized is fine).

Staff of an organization see all of its spaces, so for them the other space of their own
organization behaves like their own space; a participant sees only the space they joined.
"""

from __future__ import annotations

import enum

ALLOWED = "allowed"
Expected = int | str  # 401, 403, 404 or ALLOWED


class Role(enum.StrEnum):
    anonymous = "anonymous"
    participant = "participant"
    suspended = "suspended participant"
    observer = "observer"
    animator = "animator"
    owner = "owner"


class Target(enum.StrEnum):
    own = "own space"
    other_space = "other space, same organization"
    other_org = "other organization"
    none = "-"  # the route names no object: the role alone decides


# Staff see prompts, answers, replies and probes, but only a participant answers a prompt
# and only the author edits an answer or a reply (or answers a probe put to them). Seen but
# not permitted: 403 by the house rule "visible, then permitted".
STAFF_ON_PARTICIPANT_ACTIONS: Expected = 403

STAFF = (Role.owner, Role.animator, Role.observer)
EDITORS = (Role.owner, Role.animator)
PARTICIPANTS = (Role.participant, Role.suspended)


class Policy(enum.StrEnum):
    public = "public"
    # Any signed-in person (their own things: /me…).
    authenticated = "authenticated"
    # Only platform administrators (nobody in the matrix is one).
    platform_admin = "platform_admin"
    # Only the refresh cookie counts; a bearer token does not.
    refresh_cookie = "refresh_cookie"
    # Staff of the target's organization (owner, animator, observer) read.
    staff_read = "staff_read"
    # Owners and animators change; observers are read-only.
    staff_edit = "staff_edit"
    # Owners only.
    owner_only = "owner_only"
    # The participant of the space, about their own participation (/me/spaces/{id}…).
    my_participation = "my_participation"
    # Staff and the space's participants read.
    participant_or_staff_read = "participant_or_staff_read"
    # The space's participants and its editors write (replies, reactions).
    participant_or_editor_write = "participant_or_editor_write"
    # Only a participant acts (answering a prompt); staff see it but may not.
    participant_action = "participant_action"
    # Only the author (of the answer, the reply; the probed participant) acts.
    author_only = "author_only"
    # Editors act on something participants see (asking a follow-up question).
    editor_action_seen_by_participants = "editor_action_seen_by_participants"
    # Backroom: staff read, participants do not even see it.
    backroom_read = "backroom_read"
    # Backroom: editors write, observers read only, participants do not see it.
    backroom_write = "backroom_write"
    # The signed-in person's own notification.
    my_notification = "my_notification"
    # Accepting an invitation: on the own target it is addressed to the caller (an
    # existing account, which must be signed in); elsewhere to a new address, which an
    # anonymous caller may take but a signed-in person of another address may not.
    invitation_accept = "invitation_accept"


def expected(policy: Policy, role: Role, target: Target) -> Expected:
    if policy is Policy.public:
        return ALLOWED
    if policy is Policy.invitation_accept:
        return _invitation_accept(role, target)
    if role is Role.anonymous:
        return 401
    if policy is Policy.authenticated:
        return ALLOWED
    if policy is Policy.platform_admin:
        return 403
    if policy is Policy.refresh_cookie:
        return 401
    if policy is Policy.my_notification:
        return ALLOWED if target is Target.own else 404
    if target is Target.other_org:
        return 404
    staff = role in STAFF  # and the target is in their organization
    member = role in PARTICIPANTS and target is Target.own
    if not staff and not member:
        return 404
    return _rule(policy, role, staff)


SUSPENDED = "participant.suspended"


def expected_code(policy: Policy, role: Role, target: Target) -> str | None:
    """The problem code a 403 must carry, when the app has to say why: a suspension."""
    if role is Role.suspended and target is Target.own and expected(policy, role, target) == 403:
        space_scoped = policy not in (Policy.platform_admin, Policy.invitation_accept)
        return SUSPENDED if space_scoped else None
    return None


def _rule(policy: Policy, role: Role, staff: bool) -> Expected:
    """The role sees the target's organization (staff) or is a participant of its space."""
    staff_only = (Policy.staff_read, Policy.staff_edit, Policy.owner_only)
    backroom = (Policy.backroom_read, Policy.backroom_write)
    if policy in staff_only and not staff:
        return 404  # staff views are invisible to participants
    if policy is Policy.my_participation and staff:
        return 404  # staff have no participation there
    if role is Role.suspended:
        # No access to the space at all, and told so; notes hang on answers they could
        # see, so the suspension answers there too.
        return 403
    if policy in backroom and not staff:
        return 404  # the backroom is invisible to participants
    if staff and policy in (Policy.participant_action, Policy.author_only):
        return STAFF_ON_PARTICIPANT_ACTIONS
    allowed_roles: dict[Policy, tuple[Role, ...]] = {
        Policy.staff_read: STAFF,
        Policy.staff_edit: EDITORS,
        Policy.owner_only: (Role.owner,),
        Policy.backroom_read: STAFF,
        Policy.backroom_write: EDITORS,
        Policy.my_participation: (Role.participant,),
        Policy.participant_or_staff_read: (*STAFF, Role.participant),
        Policy.participant_or_editor_write: (*EDITORS, Role.participant),
        Policy.participant_action: (Role.participant,),
        Policy.author_only: (Role.participant,),
        Policy.editor_action_seen_by_participants: EDITORS,
    }
    return ALLOWED if role in allowed_roles[policy] else 403


def _invitation_accept(role: Role, target: Target) -> Expected:
    if target is Target.own:
        return 401 if role is Role.anonymous else ALLOWED
    return ALLOWED if role is Role.anonymous else 403
