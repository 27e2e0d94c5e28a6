"""Lets `python -m factcli` run the same command line as `facts`."""

from .console import main

main()
