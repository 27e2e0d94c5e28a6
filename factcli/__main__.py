"""Lets `python -m factcli` run the same command line as `facts`."""

from .cli import main

main()
