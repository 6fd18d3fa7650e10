"""Settings read from the environment (the app may also pass them from secrets)."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = PROJECT_ROOT / "data" / "dwigital.db"


def database_url() -> str:
    """Return the database to use: DWIGITAL_DATABASE_URL, else the SQLite file."""
    return os.environ.get("DWIGITAL_DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"
