"""Space logos: decoded by content, re-encoded to PNG without metadata, served safely."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pytest
from PIL import Image

from causerie.core.settings import Settings
from causerie.core.storage import FILE_NAME
from tests.spaces import images
from tests.spaces.conftest import Brand

SECRET = "SecretCam GPS 48.8584N"


def _uploads(settings: Settings) -> list[str]:
    folder = settings.data_dir / "uploads"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


async def _upload(
    client: httpx.AsyncClient,
    brand: Brand,
    settings: Settings,
    data: bytes,
    *,
    filename: str = "logo.png",
    content_type: str = "image/png",
) -> httpx.Response:
    return await client.put(
        f"/api/v1/spaces/{brand.space_id}/logo",
        files={"file": (filename, data, content_type)},
        headers=brand.headers(settings, "animator"),
    )


async def _served(client: httpx.AsyncClient, logo_url: str) -> Image.Image:
    """Fetch the logo without credentials (it is public) and check how it is served."""
    response = await client.get(logo_url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"] == "default-src 'none'"
    assert SECRET.encode() not in response.content
    image = Image.open(io.BytesIO(response.content))
    image.load()
    assert image.format == "PNG"
    assert not image.getexif(), "no EXIF survives"
    assert "exif" not in image.info
    return image


async def test_a_png_logo_is_re_encoded_shrunk_to_512_px_and_served(
    client: httpx.AsyncClient, brand: Brand, settings: Settings
) -> None:
    response = await _upload(client, brand, settings, images.png(1024, 600))
    assert response.status_code == 200, response.text
    space = response.json()
    logo_url = space["logo_url"]
    name = logo_url.removeprefix("/api/v1/files/")
    assert logo_url.startswith("/api/v1/files/") and FILE_NAME.match(name)
    assert _uploads(settings) == [name]
    image = await _served(client, logo_url)
    assert image.size == (512, 300)
    assert image.getpixel((10, 10)) == (200, 40, 90, 255)

    staff_view = await client.get(
        f"/api/v1/spaces/{brand.space_id}", headers=brand.headers(settings, "observer")
    )
    assert staff_view.json()["logo_url"] == logo_url
    member_view = await client.get(
        f"/api/v1/me/spaces/{brand.space_id}", headers=brand.headers(settings, "member")
    )
    assert member_view.json()["logo_url"] == logo_url


async def test_a_jpeg_logo_loses_its_exif_and_becomes_a_png(
    client: httpx.AsyncClient, brand: Brand, settings: Settings
) -> None:
    jpeg = images.jpeg_with_exif(600, 1200, SECRET)
    assert Image.open(io.BytesIO(jpeg)).getexif()[images.EXIF_MAKE] == SECRET
    response = await _upload(
        client, brand, settings, jpeg, filename="me.jpg", content_type="image/jpeg"
    )
    assert response.status_code == 200, response.text
    image = await _served(client, response.json()["logo_url"])
    assert image.size == (256, 512)


async def test_a_small_logo_is_not_enlarged(
    client: httpx.AsyncClient, brand: Brand, settings: Settings
) -> None:
    response = await _upload(client, brand, settings, images.png(40, 30))
    image = await _served(client, response.json()["logo_url"])
    assert image.size == (40, 30)


async def test_replacing_a_logo_deletes_the_previous_file(
    client: httpx.AsyncClient, brand: Brand, settings: Settings
) -> None:
    first = (await _upload(client, brand, settings, images.png())).json()["logo_url"]
    second = (await _upload(client, brand, settings, images.png(32, 32))).json()["logo_url"]
    assert first != second
    assert (await client.get(first)).status_code == 404
    assert (await client.get(second)).status_code == 200
    assert len(_uploads(settings)) == 1


async def test_removing_the_logo_clears_it(
    client: httpx.AsyncClient, brand: Brand, settings: Settings
) -> None:
    await _upload(client, brand, settings, images.png())
    removed = await client.delete(
        f"/api/v1/spaces/{brand.space_id}/logo", headers=brand.headers(settings, "owner")
    )
    assert removed.status_code == 200
    assert removed.json()["logo_url"] is None
    read = await client.get(
        f"/api/v1/spaces/{brand.space_id}", headers=brand.headers(settings, "owner")
    )
    assert read.json()["logo_url"] is None


async def test_a_removed_logo_is_no_longer_served(
    client: httpx.AsyncClient, brand: Brand, settings: Settings
) -> None:
    logo_url = (await _upload(client, brand, settings, images.png())).json()["logo_url"]
    removed = await client.delete(
        f"/api/v1/spaces/{brand.space_id}/logo", headers=brand.headers(settings, "owner")
    )
    assert removed.status_code == 200
    assert (await client.get(logo_url)).status_code == 404
    assert _uploads(settings) == []


REFUSED = [
    pytest.param(b"just some text, not an image\n" * 20, "notes.png", 422, id="text-named-png"),
    pytest.param(
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b'<script>alert(1)</script><rect width="10" height="10"/></svg>',
        "logo.svg",
        422,
        id="svg",
    ),
    pytest.param(images.png()[:60], "truncated.png", 422, id="truncated-png"),
    pytest.param(b"", "empty.png", 422, id="empty"),
    pytest.param(images.pixel_bomb_png(), "bomb.png", 422, id="too-many-pixels"),
    pytest.param(images.noise_png(2 * 1024 * 1024), "huge.png", 413, id="over-2-mib"),
]


@pytest.mark.parametrize(("data", "filename", "status"), REFUSED)
async def test_files_that_are_not_acceptable_images_are_refused_and_change_nothing(
    client: httpx.AsyncClient,
    brand: Brand,
    settings: Settings,
    data: bytes,
    filename: str,
    status: int,
) -> None:
    current = (await _upload(client, brand, settings, images.png())).json()["logo_url"]
    stored = _uploads(settings)
    response = await _upload(client, brand, settings, data, filename=filename)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    expected_code = "payload_too_large" if status == 413 else "file.invalid_image"
    assert response.json()["code"] == expected_code
    read = await client.get(
        f"/api/v1/spaces/{brand.space_id}", headers=brand.headers(settings, "owner")
    )
    assert read.json()["logo_url"] == current
    assert _uploads(settings) == stored
    assert (await client.get(current)).status_code == 200


async def test_an_upload_without_a_file_is_refused(
    client: httpx.AsyncClient, brand: Brand, settings: Settings
) -> None:
    response = await client.put(
        f"/api/v1/spaces/{brand.space_id}/logo",
        data={"other": "x"},
        headers=brand.headers(settings, "owner"),
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    "name",
    [
        "..%2Fsecret.png",
        "..%2F..%2Fsecret.png",
        "%2e%2e%2fsecret.png",
        "..",
        "%2e%2e",
        "secret.png",
        "..%5Csecret.png",
        "0123456789abcdef0123456789abcdef.png%00",
        "0123456789ABCDEF0123456789ABCDEF.png",
        "0123456789abcdef0123456789abcdef.png%0A",
        "uploads%2F0123456789abcdef0123456789abcdef.png",
    ],
)
async def test_the_files_route_refuses_names_that_are_not_stored_file_names(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, name: str
) -> None:
    data_dir: Path = settings.data_dir
    (data_dir / "uploads").mkdir(parents=True, exist_ok=True)
    (data_dir / "secret.png").write_bytes(b"top secret")
    (data_dir / "uploads" / "secret.png").write_bytes(b"top secret")
    response = await client.get(f"/api/v1/files/{name}")
    assert response.status_code == 404, (name, response.text)
    assert b"top secret" not in response.content


async def test_an_unknown_file_is_not_found(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/files/0123456789abcdef0123456789abcdef.png")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
