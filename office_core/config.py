"""Settings read from the environment or from .streamlit/secrets.toml."""

import os
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = PROJECT_ROOT / "data" / "dwigital.db"
SECRETS = PROJECT_ROOT / ".streamlit" / "secrets.toml"
SECRET_KEY_FILE = PROJECT_ROOT / "data" / "secret_key"


@dataclass(frozen=True)
class SignInPolicy:
    """How sign-in behaves; every field can be set by environment or secrets."""

    max_failed_attempts: int = 5
    lock_minutes: int = 15
    idle_minutes: int = 30
    session_hours: int = 12
    min_password_length: int = 10


_POLICY_SETTINGS = {
    "max_failed_attempts": "DWIGITAL_MAX_FAILED_ATTEMPTS",
    "lock_minutes": "DWIGITAL_LOCK_MINUTES",
    "idle_minutes": "DWIGITAL_IDLE_MINUTES",
    "session_hours": "DWIGITAL_SESSION_HOURS",
    "min_password_length": "DWIGITAL_MIN_PASSWORD_LENGTH",
}


def database_url() -> str:
    """Return the database to use: environment, then secrets, then SQLite."""
    return (
        os.environ.get("DWIGITAL_DATABASE_URL")
        or _secret("database_url")
        or f"sqlite:///{DEFAULT_SQLITE}"
    )


def _secret(name: str) -> str | None:
    value = _secrets().get(name)
    return value if isinstance(value, str) and value else None


def _secrets() -> dict:
    # The same file Streamlit reads, so the app, the command line and manual
    # migrations always agree on the database.
    try:
        with SECRETS.open("rb") as file:
            return tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def sign_in_policy() -> SignInPolicy:
    """Return the sign-in policy: environment, then secrets, then defaults."""
    saved = _secrets()
    values = {}
    for field, variable in _POLICY_SETTINGS.items():
        raw = str(os.environ.get(variable) or saved.get(field, "")).strip()
        if raw.isdigit() and int(raw) > 0:
            values[field] = int(raw)
    return SignInPolicy(**values)


def secret_key() -> str:
    """Return the key that signs sign-in tokens; every replica must share it.

    Taken from DWIGITAL_SECRET_KEY or `secret_key` in secrets.toml; on a
    single machine without either, one is generated once into data/secret_key.
    """
    return (
        os.environ.get("DWIGITAL_SECRET_KEY")
        or _secret("secret_key")
        or _stored_secret_key(SECRET_KEY_FILE)
    )


def _stored_secret_key(path: Path) -> str:
    try:
        return _create_secret_key(path)
    except FileExistsError:
        # Another process created it first: everyone uses that one.
        return path.read_text().strip()


def _create_secret_key(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    key = secrets.token_urlsafe(48)
    with os.fdopen(descriptor, "w") as file:
        file.write(key + "\n")
    return key


def cookie_always_secure() -> bool:
    """Tell whether the sign-in cookie is Secure even on plain http.

    Set DWIGITAL_COOKIE_SECURE=1 behind a proxy that ends TLS but does not
    pass X-Forwarded-Proto on.
    """
    return os.environ.get("DWIGITAL_COOKIE_SECURE", "").strip() in ("1", "true")
