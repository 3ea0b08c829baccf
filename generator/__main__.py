"""`python -m generator`: the same command line as the installed `clausebook` script."""

from .cli.entry import main

main()
