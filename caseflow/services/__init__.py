"""The application services: what the API, the CLI and tests call to start a case or a client's
workflow and to take its steps (Temporal's failures become caseflow's errors here)."""
