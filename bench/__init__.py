"""Benchmarks: each measures caseflow side by side with a baseline in the same run."""
