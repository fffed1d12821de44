"""The script as a document (YAML or JSON): prompts by stable key, segments by name.

Import replaces a space's script: prompts matched by key are updated, new keys are added,
missing ones removed. Everything is validated first; nothing changes when anything fails.
Export → import → export gives the same document.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from causerie.core.errors import Conflict, InvalidInput
from causerie.core.ids import uuid7
from causerie.models import Prompt, PromptKind, PromptStatus, Space, Visibility
from causerie.models.script import CloseKind, ReleaseKind
from causerie.script.schemas import (
    CloseRule,
    DiaryConfig,
    Minutes,
    PollConfig,
    PromptKey,
    PromptWrite,
    RatingConfig,
    ReleaseRule,
)

MAX_DOCUMENT_BYTES = 1024 * 1024
# A real script nests about six levels (document, prompts, prompt, poll, options, option)
# and holds a few thousand nodes; the bounds leave room and stop hostile documents cheaply.
MAX_DOCUMENT_DEPTH = 32
MAX_DOCUMENT_NODES = 100_000


class InvalidScript(InvalidInput):
    code = "script.invalid_document"
    title = "This script document cannot be imported"


class DocumentTooLarge(InvalidScript):
    code = "script.document_too_large"
    title = "This script document is too large"


class DocumentTooDeep(InvalidScript):
    code = "script.document_too_deep"
    title = "This script document is nested too deeply"


class DocumentAliases(InvalidScript):
    code = "script.document_aliases"
    title = "YAML anchors and aliases are not accepted"


class AnsweredPromptRemoved(Conflict):
    code = "script.answered_prompt_removed"
    title = "Prompts with answers cannot be removed by an import"


class DocRelease(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: ReleaseKind = ReleaseKind.manual
    at: datetime | None = None
    delay_minutes: Minutes = 0
    after: PromptKey | None = Field(default=None, description="Key of the prompt it follows")
    options: list[PromptKey] = Field(default_factory=list)


class DocClose(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: CloseKind = CloseKind.never
    at: datetime | None = None
    delay_minutes: Minutes = 0


class DocPrompt(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: PromptKey
    kind: PromptKind
    title: str
    body: str = ""
    required: bool = False
    status: PromptStatus = PromptStatus.draft
    visibility: Visibility = Visibility.uninfluenced
    segments: list[str] = Field(default_factory=list)
    poll: PollConfig | None = None
    rating: RatingConfig | None = None
    diary: DiaryConfig | None = None
    release: DocRelease = Field(default_factory=DocRelease)
    close: DocClose = Field(default_factory=DocClose)


class ScriptDocument(BaseModel):
    """A space's script, portable between spaces."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    prompts: list[DocPrompt] = Field(default_factory=list, max_length=200)


# --- export ----------------------------------------------------------------------------------


def _local(moment: datetime | None, time_zone: str) -> datetime | None:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(time_zone)) if moment else None


def export(
    space: Space,
    prompts: list[Prompt],
    segment_names: dict[uuid.UUID, str],
    segments_by_prompt: dict[uuid.UUID, list[uuid.UUID]],
) -> ScriptDocument:
    keys = {prompt.id: prompt.key for prompt in prompts}
    items = []
    for prompt in prompts:
        config = prompt.config or {}
        items.append(
            DocPrompt(
                key=prompt.key,
                kind=prompt.kind,
                title=prompt.title,
                body=prompt.body,
                required=prompt.required,
                status=prompt.status,
                visibility=prompt.visibility,
                segments=sorted(
                    segment_names[s]
                    for s in segments_by_prompt.get(prompt.id, [])
                    if s in segment_names
                ),
                poll=PollConfig.model_validate(config) if prompt.kind is PromptKind.poll else None,
                rating=RatingConfig.model_validate(config)
                if prompt.kind is PromptKind.rating
                else None,
                diary=DiaryConfig.model_validate(config)
                if prompt.kind is PromptKind.diary
                else None,
                release=DocRelease(
                    kind=prompt.release_kind,
                    at=_local(prompt.release_at, space.time_zone),
                    delay_minutes=prompt.release_delay_minutes,
                    after=keys.get(prompt.release_prompt_id) if prompt.release_prompt_id else None,
                    options=list(prompt.release_option_keys or ()),
                ),
                close=DocClose(
                    kind=prompt.close_kind,
                    at=_local(prompt.close_at, space.time_zone),
                    delay_minutes=prompt.close_after_minutes,
                ),
            )
        )
    return ScriptDocument(prompts=items)


def to_yaml(document: ScriptDocument) -> str:
    data = document.model_dump(mode="json", exclude_defaults=True)
    data = {"version": 1, **data}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


# --- import ----------------------------------------------------------------------------------


def parse(raw: bytes, content_type: str) -> ScriptDocument:
    """Read a YAML or JSON document; size, depth and aliases are bounded before parsing."""
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise DocumentTooLarge(f"The document exceeds {MAX_DOCUMENT_BYTES // 1024} KiB.")
    try:
        text = raw.decode("utf-8")
        if "yaml" in content_type:
            check_yaml_shape(text)
            data: Any = yaml.load(text, Loader=_SafeLoader)  # noqa: S506 (a safe loader)
        else:
            check_json_depth(text)
            data = json.loads(text)
    except (yaml.YAMLError, ValueError) as error:  # UnicodeDecodeError is a ValueError
        raise InvalidScript(f"The document cannot be read: {error}") from error
    return validate(data)


_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPENING = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSING = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_NODES = (yaml.ScalarEvent, *_OPENING)


def check_yaml_shape(text: str) -> None:
    """Walk the YAML event stream (no objects built) and stop at the first excess: nesting
    deeper than MAX_DOCUMENT_DEPTH, more than MAX_DOCUMENT_NODES nodes, or any anchor or
    alias (aliases let a few bytes expand into billions of nodes)."""
    try:
        _walk(yaml.parse(text, Loader=_SafeLoader))
    except yaml.MarkedYAMLError as error:
        # LibYAML's scanner refuses very deep flow collections ([[[[…) on its own.
        if "nesting depth" in (error.problem or ""):
            raise DocumentTooDeep(_TOO_DEEP) from error
        raise


_TOO_DEEP = f"The document nests more than {MAX_DOCUMENT_DEPTH} levels."


def _walk(events: Iterator[yaml.Event]) -> None:
    depth = nodes = 0
    for event in events:
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise DocumentAliases("Write the document without anchors (&) and aliases (*).")
        if isinstance(event, _NODES):
            nodes += 1
            if nodes > MAX_DOCUMENT_NODES:
                raise DocumentTooLarge(f"The document has more than {MAX_DOCUMENT_NODES} items.")
        if isinstance(event, _OPENING):
            depth += 1
            if depth > MAX_DOCUMENT_DEPTH:
                raise DocumentTooDeep(_TOO_DEEP)
        elif isinstance(event, _CLOSING):
            depth -= 1


# A JSON string (escapes included; an unterminated one runs to the end, so every match
# succeeds and the scan stays linear), or one bracket outside strings.
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]')


def check_json_depth(text: str) -> None:
    """Count brackets outside strings; refuse nesting deeper than MAX_DOCUMENT_DEPTH before
    the (recursive) JSON parser sees the document."""
    depth = 0
    for match in _JSON_TOKENS.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_DOCUMENT_DEPTH:
                raise DocumentTooDeep(_TOO_DEEP)
        elif token in ("]", "}"):
            depth -= 1


def validate(data: Any) -> ScriptDocument:
    try:
        return ScriptDocument.model_validate(data)
    except ValidationError as error:
        raise InvalidScript(_describe(error, data)) from error


def _describe(error: ValidationError, data: Any) -> str:
    """Name the prompt (by key when it has one) and the field of each problem."""
    parts = []
    for issue in error.errors()[:10]:
        loc = list(issue["loc"])
        where = ".".join(str(part) for part in loc)
        if len(loc) >= 2 and loc[0] == "prompts" and isinstance(loc[1], int):
            key = None
            try:
                key = data["prompts"][loc[1]].get("key")
            except (KeyError, IndexError, TypeError, AttributeError):
                key = None
            label = f"prompt {key!r}" if key else f"prompt #{loc[1] + 1}"
            where = f"{label}, {'.'.join(str(p) for p in loc[2:]) or 'itself'}"
        parts.append(f"{where}: {issue['msg']}")
    return "; ".join(parts)


def to_writes(
    document: ScriptDocument,
    *,
    ids: dict[str, uuid.UUID],
    segments: dict[str, uuid.UUID],
    segment_key: Any,
) -> list[tuple[uuid.UUID, PromptWrite]]:
    """Each prompt as the API's PromptWrite, references resolved; errors name prompt and field."""
    seen: set[str] = set()
    for prompt in document.prompts:
        if prompt.key in seen:
            raise InvalidScript(f"Prompt {prompt.key!r}: the key is used twice.")
        seen.add(prompt.key)
    known = {p.key: ids.get(p.key) or uuid7() for p in document.prompts}
    result = []
    for prompt in document.prompts:
        segment_ids = []
        for name in prompt.segments:
            segment_id = segments.get(segment_key(name))
            if segment_id is None:
                raise InvalidScript(f"Prompt {prompt.key!r}, segments: no segment named {name!r}.")
            segment_ids.append(segment_id)
        after = prompt.release.after
        if after is not None and after not in known:
            raise InvalidScript(f"Prompt {prompt.key!r}, release.after: no prompt {after!r}.")
        try:
            write = PromptWrite(
                key=prompt.key,
                kind=prompt.kind,
                title=prompt.title,
                body=prompt.body,
                required=prompt.required,
                status=prompt.status,
                visibility=prompt.visibility,
                segment_ids=segment_ids,
                poll=prompt.poll,
                rating=prompt.rating,
                diary=prompt.diary,
                release=ReleaseRule(
                    kind=prompt.release.kind,
                    at=prompt.release.at,
                    delay_minutes=prompt.release.delay_minutes,
                    prompt_id=known[after] if after else None,
                    option_keys=prompt.release.options,
                ),
                close=CloseRule(
                    kind=prompt.close.kind,
                    at=prompt.close.at,
                    delay_minutes=prompt.close.delay_minutes,
                ),
            )
        except ValidationError as error:
            issues = "; ".join(
                f"{'.'.join(str(p) for p in issue['loc']) or 'prompt'}: {issue['msg']}"
                for issue in error.errors()[:5]
            )
            raise InvalidScript(f"Prompt {prompt.key!r}: {issues}") from error
        result.append((known[prompt.key], write))
    return result
