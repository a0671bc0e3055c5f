"""caseflow application wiring: configuration, logging, the embedded stack and the CLI."""
