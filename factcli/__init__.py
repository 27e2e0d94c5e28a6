"""facts: a command-line tool over a curated, cited fact store about Blackpool's children's services."""

__version__ = "0.1.0"
