"""The staff web app: server-rendered pages on the API service (see pages.py)."""
