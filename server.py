"""The served app: app.py plus the sign-in routes. Run `streamlit run server.py`.

app.py stays a plain page script so that AppTest can run it; the HTTP routes
that set and clear the sign-in cookie (ui/web.py) are mounted here.
"""

import streamlit as st

from ui.web import ROUTES

app = st.App("app.py", routes=ROUTES)
