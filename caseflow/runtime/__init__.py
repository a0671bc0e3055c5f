"""The servers caseflow runs on: the bundled binaries, the embedded stack, the Temporal
connection with its payload codec, and child processes for fault tests and benches."""
