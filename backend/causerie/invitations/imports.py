"""Bulk invitations from a CSV file: a preview of every row, then a commit of the valid ones.

Accepted files: ``email,segments,display_name`` with or without a header (any case, in any
order), comma or semicolon separated, UTF-8 with or without BOM (Windows-1252 tolerated).
Several segments in one cell are separated by ``|`` (or ``,`` / ``;`` when quoted).
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections import Counter
from datetime import timedelta
from typing import Any, get_args

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.audit import service as audit
from causerie.core.clock import utcnow
from causerie.core.errors import Conflict, InvalidInput, NotFound
from causerie.core.ids import uuid7
from causerie.core.principal import Principal
from causerie.core.settings import Settings
from causerie.core.text import clean_single_line
from causerie.core.tokens import hash_token, new_opaque_token
from causerie.invitations import emails, records
from causerie.invitations.schemas import (
    ImportCommitted,
    ImportPreview,
    ImportRow,
    ImportRowStatus,
)
from causerie.models import (
    Invitation,
    InvitationImport,
    InvitationKind,
    InvitationStatus,
    Participant,
    ParticipantStatus,
    Segment,
    Space,
    User,
    invitation_segment,
)
from causerie.spaces import segments as segments_service
from causerie.spaces import service as spaces_service

MAX_ROWS = 20_000
ROW_STATUSES: tuple[ImportRowStatus, ...] = get_args(ImportRowStatus)
CHUNK = 2_000
HEADER_NAMES = {
    "email": {"email", "e-mail", "mail", "courriel", "adresse e-mail", "adresse email"},
    "segments": {"segments", "segment", "segment(s)", "groupes", "groupe"},
    "display_name": {"display_name", "display name", "name", "nom", "nom affiché"},
}
SEGMENT_SEPARATORS = re.compile(r"[|;,]")


class InvalidCsv(InvalidInput):
    code = "import.invalid_csv"
    title = "This file cannot be read as CSV"


class ImportAlreadyCommitted(Conflict):
    code = "import.committed"
    title = "This import was already committed"


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidCsv("The file is neither UTF-8 nor Windows-1252 text.")


def _columns(first: list[str]) -> tuple[dict[str, int], bool]:
    """Column positions, and whether the first row was a header."""
    normalized = [cell.strip().strip("\ufeff").lower() for cell in first]
    found = {
        field: index
        for field, names in HEADER_NAMES.items()
        for index, cell in enumerate(normalized)
        if cell in names
    }
    if "email" in found:
        return found, True
    return {"email": 0, "segments": 1, "display_name": 2}, False


def parse(data: bytes) -> list[tuple[int, dict[str, str]]]:
    """``(line number, raw cells)`` for every non-empty data row."""
    text = _decode(data)
    if "\x00" in text:
        raise InvalidCsv("The file contains binary data.")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, dict[str, str]]] = []
    columns: dict[str, int] | None = None
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if columns is None:
                columns, is_header = _columns(cells)
                if is_header:
                    continue
            raw = {
                field: cells[index].strip() if index < len(cells) else ""
                for field, index in columns.items()
            }
            rows.append((reader.line_num, raw))
            if len(rows) > MAX_ROWS:
                raise InvalidCsv(f"At most {MAX_ROWS} rows per file; split it.")
    except csv.Error as error:
        raise InvalidCsv(f"Line {reader.line_num}: {error}.") from error
    if not rows:
        raise InvalidCsv("The file has no rows.")
    return rows


async def _segments_by_key(
    session: AsyncSession, space_id: uuid.UUID
) -> dict[str, tuple[uuid.UUID, str]]:
    rows = await session.execute(
        select(Segment.id, Segment.name, Segment.name_key).where(
            Segment.space_id == space_id, Segment.deleted_at.is_(None)
        )
    )
    return {key: (segment_id, name) for segment_id, name, key in rows}


async def _taken(
    session: AsyncSession, space_id: uuid.UUID, addresses: list[str]
) -> tuple[set[str], set[str]]:
    """(addresses already participating, addresses with a live invitation)."""
    participants: set[str] = set()
    invited: set[str] = set()
    now = utcnow()
    for start in range(0, len(addresses), CHUNK):
        chunk = addresses[start : start + CHUNK]
        participants.update(
            (
                await session.scalars(
                    select(User.email)
                    .join(Participant, Participant.user_id == User.id)
                    .where(
                        Participant.space_id == space_id,
                        Participant.status != ParticipantStatus.left,
                        User.email.in_(chunk),
                    )
                )
            ).all()
        )
        invited.update(
            (
                await session.scalars(
                    select(Invitation.email).where(
                        Invitation.space_id == space_id,
                        Invitation.status == InvitationStatus.pending,
                        Invitation.expires_at > now,
                        Invitation.email.in_(chunk),
                    )
                )
            ).all()
        )
    return participants, invited


def _check_row(
    line: int, raw: dict[str, str], segments: dict[str, tuple[uuid.UUID, str]]
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "line": line,
        "email": raw.get("email", "")[:320],
        "display_name": raw.get("display_name") or None,
        "segments": [],
        "segment_ids": [],
        "status": "ok",
        "reason": None,
        "reason_code": None,
        "reason_value": None,
    }
    try:
        row["email"] = validate_email(row["email"], check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        return {
            **row,
            "status": "invalid",
            "reason": f"Invalid e-mail address: {error}",
            "reason_code": "invalid_email",
        }
    if row["display_name"] is not None:
        try:
            name = clean_single_line(row["display_name"])
        except ValueError:
            return {
                **row,
                "status": "invalid",
                "reason": "The display name has control characters.",
                "reason_code": "control_characters",
            }
        if len(name) > 120:
            return {
                **row,
                "status": "invalid",
                "reason": "The display name is over 120 characters.",
                "reason_code": "name_too_long",
            }
        row["display_name"] = name
    for part in SEGMENT_SEPARATORS.split(raw.get("segments", "")):
        key = segments_service.segment_key(part)
        if not key:
            continue
        if key not in segments:
            return {
                **row,
                "status": "invalid",
                "reason": f"Unknown segment: {part.strip()}",
                "reason_code": "unknown_segment",
                "reason_value": part.strip(),
            }
        segment_id, name = segments[key]
        if segment_id not in row["segment_ids"]:
            row["segment_ids"].append(segment_id)
            row["segments"].append(name)
    return row


async def _check_rows(
    session: AsyncSession, space: Space, parsed: list[tuple[int, dict[str, str]]]
) -> list[dict[str, Any]]:
    segments = await _segments_by_key(session, space.id)
    rows = [_check_row(line, raw, segments) for line, raw in parsed]
    valid = [row["email"] for row in rows if row["status"] == "ok"]
    participants, invited = await _taken(session, space.id, sorted(set(valid)))
    seen: set[str] = set()
    for row in rows:
        if row["status"] != "ok":
            continue
        if row["email"] in seen:
            row.update(
                status="duplicate",
                reason="The address appears earlier in the file.",
                reason_code="duplicate",
            )
        elif row["email"] in participants:
            row.update(
                status="already_participant",
                reason="Already takes part in the space.",
                reason_code="already_participant",
            )
        elif row["email"] in invited:
            row.update(
                status="already_invited",
                reason="Already has a pending invitation.",
                reason_code="already_invited",
            )
        seen.add(row["email"])
    return rows


def _preview(record: InvitationImport) -> ImportPreview:
    counts = Counter(row["status"] for row in record.rows)
    return ImportPreview(
        id=record.id,
        total=record.total,
        valid=record.valid,
        counts={status: counts.get(status, 0) for status in ROW_STATUSES},
        rows=[ImportRow.model_validate(row) for row in record.rows],
        committed=record.committed_at is not None,
    )


async def preview(
    session: AsyncSession, *, principal: Principal, space_id: uuid.UUID, data: bytes
) -> ImportPreview:
    space = await spaces_service.get_editable_space(session, principal, space_id)
    rows = await _check_rows(session, space, parse(data))
    stored = [{**row, "segment_ids": [str(s) for s in row["segment_ids"]]} for row in rows]
    record = InvitationImport(
        organization_id=space.organization_id,
        space_id=space.id,
        created_by_user_id=principal.user_id,
        rows=stored,
        total=len(rows),
        valid=sum(row["status"] == "ok" for row in rows),
    )
    session.add(record)
    await session.flush()
    return _preview(record)


async def _record(session: AsyncSession, space: Space, import_id: uuid.UUID) -> InvitationImport:
    record = await session.scalar(
        select(InvitationImport).where(
            InvitationImport.id == import_id, InvitationImport.space_id == space.id
        )
    )
    if record is None:
        raise NotFound("No such import.")
    return record


async def get_preview(
    session: AsyncSession, *, principal: Principal, space_id: uuid.UUID, import_id: uuid.UUID
) -> ImportPreview:
    space = await spaces_service.get_editable_space(session, principal, space_id)
    return _preview(await _record(session, space, import_id))


async def commit(
    session: AsyncSession,
    *,
    settings: Settings,
    principal: Principal,
    space_id: uuid.UUID,
    import_id: uuid.UUID,
) -> ImportCommitted:
    """Invite every row that was valid and still is; send their e-mails through the outbox."""
    space = await spaces_service.get_editable_space(session, principal, space_id)
    if space.status not in records.JOINABLE:
        raise records.SpaceNotJoinable("Invite people while the space is a draft or open.")
    record = await _record(session, space, import_id)
    now = utcnow()
    # Claim the import: of concurrent commits, exactly one goes on.
    claimed = await session.execute(
        update(InvitationImport)
        .where(InvitationImport.id == record.id, InvitationImport.committed_at.is_(None))
        .values(committed_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise ImportAlreadyCommitted("These invitations were already sent.")
    candidates = [row for row in record.rows if row["status"] == "ok"]
    participants, invited = await _taken(
        session, space.id, sorted({row["email"] for row in candidates})
    )
    live_segments = {
        segment_id for segment_id, _ in (await _segments_by_key(session, space.id)).values()
    }
    rows = [r for r in candidates if r["email"] not in participants and r["email"] not in invited]

    brand = await records.brand_name(session, space.organization_id)
    inviter = await records.inviter_name(session, principal)
    ttl = timedelta(days=space.invitation_ttl_days)
    invitations: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for row in rows:
        token = new_opaque_token()
        values = {
            "id": uuid7(),
            "created_at": now,
            "updated_at": now,
            "organization_id": space.organization_id,
            "space_id": space.id,
            "kind": InvitationKind.participant,
            "email": row["email"],
            "display_name": row["display_name"],
            "token_hash": hash_token(token),
            "expires_at": now + ttl,
            "status": InvitationStatus.pending,
            "last_sent_at": now,
            "send_count": 1,
            "invited_by_user_id": principal.user_id,
            "language": space.language.value,
        }
        invitations.append(values)
        links += [
            {"invitation_id": values["id"], "segment_id": uuid.UUID(s)}
            for s in row["segment_ids"]
            if uuid.UUID(s) in live_segments
        ]
        emails.enqueue(
            session,
            emails.participant_email(
                settings=settings,
                invitation=Invitation(**values),
                space=space,
                brand=brand,
                inviter=inviter,
                token=token,
            ),
        )
    for start in range(0, len(invitations), CHUNK):
        await session.execute(insert(Invitation), invitations[start : start + CHUNK])
    for start in range(0, len(links), CHUNK):
        await session.execute(insert(invitation_segment), links[start : start + CHUNK])
    record.committed_at = now
    record.created_count = len(invitations)
    audit.record(
        session,
        principal=principal,
        organization_id=space.organization_id,
        action="invitation.import",
        target_type="space",
        target_id=space.id,
        data={"import_id": str(record.id), "created": len(invitations)},
    )
    await session.flush()
    return ImportCommitted(
        id=record.id, created=len(invitations), skipped=record.total - len(invitations)
    )
