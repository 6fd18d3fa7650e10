"""Keeping a data grid's source frame and resetting its edits after a save."""

import logging

import pandas as pd
import streamlit as st

from office_core.errors import StaleEdit, ValidationError
from office_core.grid import read_changes
from ui import state

log = logging.getLogger(__name__)


def editor_key(prefix: str) -> str:
    """Return the current key of a grid; a new key drops its pending edits."""
    return f"{prefix}_editor_{st.session_state.get(f'{prefix}_generation', 0)}"


def reset(prefix: str) -> None:
    """Forget a grid's pending edits so it reloads from the database."""
    generation = f"{prefix}_generation"
    st.session_state[generation] = st.session_state.get(generation, 0) + 1


def source_frame(prefix: str, signature: object, load) -> pd.DataFrame:
    """Return the frame the pending edits were made on, or a fresh one from `load`.

    A save must send the row versions the user saw: re-reading at save time
    would carry another admin's newer versions and overwrite their change.
    `signature` names what the grid shows (filters, page); when it changes,
    pending edits point at rows no longer shown and are dropped.
    """
    kept = st.session_state.get(f"{prefix}_source")
    if st.session_state.get(f"{prefix}_signature") != signature:
        reset(prefix)
    elif kept is not None and has_edits(edit_state(prefix)):
        return kept
    st.session_state[f"{prefix}_signature"] = signature
    return load()


def has_edits(edit_state: object) -> bool:
    """Return whether a grid's edit state holds anything to save."""
    if not isinstance(edit_state, dict):
        return True  # let office_core refuse what cannot be read
    parts = ("edited_rows", "added_rows", "deleted_rows")
    return any(edit_state.get(part) for part in parts)


def keep_source(prefix: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Remember the frame given to the grid this run; drop edits that do not fit."""
    st.session_state[f"{prefix}_source"] = frame
    stale = st.session_state.pop(f"{prefix}_stale", None)
    if stale:
        st.error(stale)
    problem = _misfit(edit_state(prefix), frame)
    if problem:
        log.warning("grid edits dropped: %s", problem)
        st.error(f"{problem} Perubahan yang belum disimpan dibuang.")
        reset(prefix)
    return frame


def _misfit(state: object, frame: pd.DataFrame) -> str | None:
    # st.data_editor applies pending edits itself and crashes on a row or a
    # column the frame lacks, which only a forged edit state can hold.
    if not state:
        return None
    try:
        read_changes(state, list(range(len(frame))), set(map(str, frame.columns)))
    except ValidationError as exc:
        return exc.message
    if not all(type(row) is int for row in state.get("deleted_rows") or []):
        return "Baris yang dihapus tidak terbaca."
    return None


def save(prefix: str, function, *args) -> tuple[bool, object]:
    """Run a grid save as one action; on a stale row, reload the grid and say why."""
    stale: list[str] = []

    def guarded(session, actor, *rest):
        try:
            return function(session, actor, *rest)
        except StaleEdit as exc:
            stale.append(exc.message)
            raise

    guarded.__name__ = function.__name__
    done, result = state.act(guarded, *args)
    if stale:
        log.warning("stale grid save refused: %s", prefix)
        reset(prefix)
        st.session_state[f"{prefix}_stale"] = stale[0]
        st.rerun()
    return done, result


def edit_state(prefix: str) -> dict:
    """Return the grid's pending edits as the browser sent them."""
    return st.session_state.get(editor_key(prefix), {})


def restore_picker(prefix: str, noun: str, labels: dict[int, str], action):
    """Let an admin pick a hidden record and bring it back; return it if done."""
    chosen = st.selectbox(
        f"Pilih {noun}",
        list(labels),
        format_func=labels.get,
        key=f"{prefix}_restore_pick",
    )
    if not st.button("Pulihkan", key=f"{prefix}_restore"):
        return None
    done, restored = state.act(action, chosen)
    if not done:
        return None
    reset(prefix)
    return restored


def pager(prefix: str, count: int, page_size: int, noun: str) -> int:
    """Show the row count and, when needed, a page number; return the page index."""
    pages = max(1, -(-count // page_size))
    if pages == 1:
        st.caption(f"{count} {noun}.")
        return 0
    page = st.number_input(f"Halaman (dari {pages})", 1, pages, 1, key=f"{prefix}_page")
    st.caption(f"{count} {noun}, {page_size} per halaman.")
    return int(page) - 1
