"""Where the CLI finds the API and its key: flags, then `ASSETS_API_URL` / `ASSETS_API_KEY`, then the config file
(`$ASSETS_CONFIG`, else `$XDG_CONFIG_HOME/assets/config.toml`, else `~/.config/assets/config.toml`):

    api_url = "https://api.example.com"
    api_key = "dam_..."
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path


def config_path(environ: dict[str, str] | os._Environ[str] = os.environ) -> Path:
    if environ.get("ASSETS_CONFIG"):
        return Path(environ["ASSETS_CONFIG"])
    base = Path(environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "assets" / "config.toml"


@dataclass(frozen=True)
class Settings:
    api_url: str | None
    api_key: str | None


def load(
    api_url: str | None = None, api_key: str | None = None, environ: dict[str, str] | os._Environ[str] = os.environ
) -> Settings:
    """Flags override the environment, which overrides the file. A file that is not TOML raises ValueError."""
    path = config_path(environ)
    try:
        file = tomllib.loads(path.read_text()) if path.is_file() else {}
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path}: {error}") from None
    return Settings(
        api_url=api_url or environ.get("ASSETS_API_URL") or file.get("api_url"),
        api_key=api_key or environ.get("ASSETS_API_KEY") or file.get("api_key"),
    )
