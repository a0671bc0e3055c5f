"""`python -m caseflow`: the command line (caseflow/cli/main.py)."""

from caseflow.cli.main import main

if __name__ == "__main__":
    main()
