"""`python -m generator`: the same command line as the installed `clausebook` script."""

from .script import main

main()
