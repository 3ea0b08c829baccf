"""`python -m generator`: the same command line as the installed `clausebook` script."""

from .entry import main

main()
