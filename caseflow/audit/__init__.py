"""What auditors use: replay a case as of any moment, verify its record, export it."""
