"""Where the business's real spreadsheets and the paper's tables live."""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(
    os.environ.get("DWIGITAL_SHARED_DATA", REPO.parent / "shared" / "data")
)
LEGACY = SHARED_DATA / "legacy"
PAPER = SHARED_DATA / "paper"


def legacy_file(name: str) -> Path:
    """Return a legacy spreadsheet's path, failing loudly if it is missing."""
    path = LEGACY / name
    assert path.is_file(), f"legacy file missing: {path}"
    return path


def paper_file(name: str) -> Path:
    """Return a table of the paper, failing loudly if it is missing."""
    path = PAPER / name
    assert path.is_file(), f"paper table missing: {path}"
    return path
