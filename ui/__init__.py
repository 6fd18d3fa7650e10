"""Streamlit helpers shared by the pages; the business rules live in office_core.

Importing this package switches the server process out of Streamlit's old
pages-folder mode: with a ``pages/`` folder beside app.py, Streamlit runs a page
file opened by its URL directly until some session has run app.py, bypassing
the per-role navigation. Every page imports ``ui`` first, so at most the very
first request of a process is served that way (and the page still checks the
sign-in and the role itself).
"""

from streamlit.runtime.pages_manager import PagesManager

PagesManager.uses_pages_directory = False
