"""`python -m deliverables` is the `deliver` command."""

from .entry import main

main()
