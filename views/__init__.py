"""Streamlit pages: read widgets, call geo/, hand results to layers/. No analysis here."""
