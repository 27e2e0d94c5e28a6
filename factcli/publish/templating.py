"""Jinja2 templates for the briefing and the site: autoescaped, store text shown literally."""

import functools


def _shown(value):
    # Runs on every {{ }} before autoescaping: control characters become visible escapes
    # (as on a terminal), None prints as nothing, and markup built by a template stays markup.
    from markupsafe import Markup

    from ..output.escape import literal

    return value if isinstance(value, Markup) else literal(value)


def _conflict_note(conflict):
    """A conflict document's note, saying when it is not a contradiction (output.wording)."""
    from ..output.wording import conflict_note

    return conflict_note(conflict["note"], conflict["contradiction"])


def published(item):
    """A source's or citation's publication date as a reader should quote it: inferred says so."""
    from ..output.wording import publication

    return publication(item["published"], item["published_basis"], item["published_after"], item["published_before"])


@functools.lru_cache(maxsize=1)
def environment():
    """The template environment; Jinja2 is imported here, so queries never pay for it."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("factcli.publish", "templates"),
        autoescape=True,
        finalize=_shown,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.globals["published"] = published
    environment.globals["conflict_note"] = _conflict_note
    return environment


def render(template, **values):
    return environment().get_template(template).render(**values)
