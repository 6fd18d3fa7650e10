"""Make AppTest resolve pages the way a running server does."""

import pytest
from streamlit.runtime.pages_manager import PagesManager


def run_like_a_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send every AppTest run through app.py's per-role navigation.

    With a `pages/` folder next to app.py, Streamlit runs a requested page file
    directly (its old pages-folder mode) until the process first calls
    st.navigation; a server does that on its first visit, but AppTest forgets
    it before every run, so without this only an app's first run passes app.py.
    """
    original = PagesManager.__init__

    def init(self, *args, **kwargs) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
