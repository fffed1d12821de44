"""Settings refuse weak secrets in production and keep a generated one otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from causerie.core.settings import Settings, SettingsError, check_production, resolve_secret


def test_production_refuses_a_missing_secret(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        resolve_secret(Settings(env="production", data_dir=tmp_path))


@pytest.mark.parametrize("secret", ["changethis", "short-secret"])
def test_production_refuses_a_placeholder_or_short_secret(tmp_path: Path, secret: str) -> None:
    with pytest.raises(SettingsError):
        resolve_secret(Settings(env="production", secret_key=secret, data_dir=tmp_path))


def test_production_accepts_a_strong_secret(tmp_path: Path) -> None:
    strong = "k" * 48
    assert resolve_secret(Settings(env="production", secret_key=strong)).secret_key == strong


def test_development_generates_a_secret_once_and_keeps_it(tmp_path: Path) -> None:
    first = resolve_secret(Settings(data_dir=tmp_path / "var"))
    second = resolve_secret(Settings(data_dir=tmp_path / "var"))
    assert len(first.secret_key) >= 32
    assert first.secret_key == second.secret_key
    secret_file = tmp_path / "var" / "secret_key"
    assert secret_file.stat().st_mode & 0o777 == 0o600


def test_environment_variables_use_the_causerie_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAUSERIE_DATABASE_URL", "postgresql+asyncpg://db/causerie")
    monkeypatch.setenv("CAUSERIE_CORS_ORIGINS", "https://a.example.com, https://b.example.com")
    settings = Settings()
    assert settings.database_url == "postgresql+asyncpg://db/causerie"
    assert settings.cors_origins == ["https://a.example.com", "https://b.example.com"]


def test_production_requires_an_https_public_address() -> None:
    strong = "k" * 48
    with pytest.raises(SettingsError, match="https"):
        check_production(
            Settings(env="production", secret_key=strong, public_base_url="http://example.com")
        )
    secure = Settings(env="production", secret_key=strong, public_base_url="https://example.com")
    assert check_production(secure).secure_cookies
