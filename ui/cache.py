"""Reads remembered per process until the database's data version moves.

A sale saved by any session, in this process or another one, raises the
version (office_core.data_version); the next run of a page reads the new
number and so misses the cache instead of showing yesterday's figures.
"""

from collections.abc import Callable
from typing import Any

import streamlit as st

from office_core import data_version
from office_core.config import database_url
from ui import state


def version() -> int:
    """Return the data version now; read it once per run, before cached reads."""
    return state.read(data_version.current)


def read(seen: int, function: Callable[..., Any], *args: Any) -> Any:
    """Return `function(session, *args)`, computed once per data version."""
    name = f"{function.__module__}.{function.__qualname__}"
    return _remember(function, name, database_url(), seen, args)


@st.cache_data(max_entries=500, show_spinner=False)
def _remember(_function, name: str, url: str, seen: int, args: tuple) -> Any:
    # The function itself is not hashed (leading underscore): its name is.
    return state.read(_function, *args)
