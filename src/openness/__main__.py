"""`python -m openness`: the same command line as the `openness` script."""

from openness.cli import main

main()
