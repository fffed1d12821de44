"""File storage behind one small interface: a folder under ``var/uploads`` by default.

Images are decided by their content (not their name or declared type), bounded in size
and pixels, and re-encoded to PNG, which drops any metadata they carried.
"""

from __future__ import annotations

import asyncio
import io
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PIL import Image, UnidentifiedImageError

from causerie.core.errors import InvalidInput, PayloadTooLarge

ACCEPTED_IMAGE_FORMATS = frozenset({"PNG", "JPEG", "WEBP", "GIF"})
MAX_IMAGE_PIXELS = 4096 * 4096
FILE_NAME = re.compile(r"^[0-9a-f]{32}\.png$")


class InvalidImage(InvalidInput):
    code = "file.invalid_image"
    title = "Not an accepted image"


@dataclass(frozen=True)
class StoredFile:
    name: str
    content_type: str


class Storage(Protocol):
    async def put(self, data: bytes, *, suffix: str) -> str: ...

    async def get(self, name: str) -> bytes | None: ...

    async def delete(self, name: str) -> None: ...


class LocalStorage:
    """Files in one folder, named by random ids (never by user input)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, name: str) -> Path | None:
        return self.root / name if FILE_NAME.match(name) else None

    async def put(self, data: bytes, *, suffix: str) -> str:
        name = f"{uuid.uuid4().hex}{suffix}"
        path = self.root / name

        def write() -> None:
            self.root.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

        await asyncio.to_thread(write)
        return name

    async def get(self, name: str) -> bytes | None:
        path = self._path(name)
        if path is None:
            return None
        try:
            return await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError:
            return None

    async def delete(self, name: str) -> None:
        path = self._path(name)
        if path is not None:
            await asyncio.to_thread(path.unlink, missing_ok=True)


def _reencode(data: bytes, max_side: int) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_IMAGE_FORMATS:
                raise InvalidImage("Upload a PNG, JPEG, WebP or GIF image.")
            width, height = probe.size
            if width * height > MAX_IMAGE_PIXELS:
                raise InvalidImage("The image has too many pixels.")
            probe.seek(0)
            image = probe.convert("RGBA")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise InvalidImage("The file is not an image we can read.") from exc
    image.thumbnail((max_side, max_side))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)  # a fresh file: no EXIF, no text chunks
    return out.getvalue()


async def store_image(storage: Storage, data: bytes, *, max_bytes: int, max_side: int) -> str:
    if len(data) > max_bytes:
        raise PayloadTooLarge(f"The image exceeds {max_bytes // 1024} KiB.")
    png = await asyncio.to_thread(_reencode, data, max_side)
    return await storage.put(png, suffix=".png")
