"""Images made with Pillow for the logo tests."""

from __future__ import annotations

import io
import os

from PIL import Image

EXIF_MAKE = 0x010F
EXIF_DESCRIPTION = 0x010E


def png(width: int = 64, height: int = 64, colour: tuple[int, ...] = (200, 40, 90, 255)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def jpeg_with_exif(width: int, height: int, secret: str) -> bytes:
    exif = Image.Exif()
    exif[EXIF_MAKE] = secret
    exif[EXIF_DESCRIPTION] = secret
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def noise_png(min_bytes: int) -> bytes:
    """A real PNG larger than ``min_bytes`` (random pixels do not compress)."""
    side = int((min_bytes / 3) ** 0.5) + 16
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, format="PNG")
    data = out.getvalue()
    assert len(data) > min_bytes
    return data


def pixel_bomb_png(side: int = 5000) -> bytes:
    """A small file that decodes to a huge image (more pixels than a logo may have)."""
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, format="PNG")
    return out.getvalue()
