"""The HTTP API (FastAPI, OpenAPI at /openapi.json, docs at /docs)."""
