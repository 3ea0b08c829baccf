"""`python -m generator`: the same command line as the installed `clausebook` script."""

from .cli import main

main(prog_name="clausebook")
