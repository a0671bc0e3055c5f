"""The `caseflow` command line: one module per command group."""
