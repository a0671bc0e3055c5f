"""domain: the pure business rules (Deciders, SLA, calendar). Imports only stdlib and pydantic."""
