"""facts: a command-line tool over a curated, cited fact store about Blackpool's children's services."""

__version__ = "0.1.0"


def open(path=None):  # noqa: A001 - factcli.open(), as the documented entry point
    """The store at path, else FACTS_DB, else the bundled one, for questions from Python:
    store.rating(year=2019), store.who(role="minister"), ... (see factcli.api)."""
    from .api import FactStore

    return FactStore(path)
