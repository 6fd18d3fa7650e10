"""Settings read from the environment or from .streamlit/secrets.toml."""

import os
import tomllib
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = PROJECT_ROOT / "data" / "dwigital.db"
SECRETS = PROJECT_ROOT / ".streamlit" / "secrets.toml"


def database_url() -> str:
    """Return the database to use: environment, then secrets, then SQLite."""
    return (
        os.environ.get("DWIGITAL_DATABASE_URL")
        or _secret("database_url")
        or f"sqlite:///{DEFAULT_SQLITE}"
    )


def _secret(name: str) -> str | None:
    # The same file Streamlit reads, so the app, the command line and manual
    # migrations always agree on the database.
    try:
        with SECRETS.open("rb") as file:
            value = tomllib.load(file).get(name)
    except (OSError, tomllib.TOMLDecodeError):
        return None
    return value if isinstance(value, str) and value else None
