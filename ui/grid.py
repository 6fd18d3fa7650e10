"""Keeping a data grid's source frame and resetting its edits after a save."""

import pandas as pd
import streamlit as st


def editor_key(prefix: str) -> str:
    """Return the current key of a grid; a new key drops its pending edits."""
    return f"{prefix}_editor_{st.session_state.get(f'{prefix}_generation', 0)}"


def reset(prefix: str) -> None:
    """Forget a grid's pending edits so it reloads from the database."""
    generation = f"{prefix}_generation"
    st.session_state[generation] = st.session_state.get(generation, 0) + 1


def keep_source(prefix: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Remember the exact frame given to the grid this run; return it."""
    st.session_state[f"{prefix}_source"] = frame
    return frame


def edit_state(prefix: str) -> dict:
    """Return the grid's pending edits as the browser sent them."""
    return st.session_state.get(editor_key(prefix), {})
