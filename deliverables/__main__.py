"""`python -m deliverables` is the `deliver` command."""

from deliverables.entry import main

main()
