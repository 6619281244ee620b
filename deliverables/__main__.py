"""`python -m deliverables` is the `deliver` command."""

from .cli import main

main()
