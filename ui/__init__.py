"""Streamlit helpers shared by the pages; the business rules live in office_core."""
