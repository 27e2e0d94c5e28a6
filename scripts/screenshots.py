"""Refresh the site's screenshots under docs/: the index and a fact page at desktop and phone widths."""

import datetime
import sys
import tempfile
from pathlib import Path

import browser
from docs import AS_OF, ROOT

from factcli.publish import site
from factcli.storage.location import BUNDLED_STORE
from factcli.storage.memory import load_whole

SHOTS = {
    "site-index-desktop.png": ("index.html", 1280, 900),
    "site-index-phone.png": ("index.html", 375, 812),
    "site-fact-desktop.png": ("facts/rating-2019-01-overall-inadequate.html", 1280, 900),
    "site-fact-phone.png": ("facts/rating-2019-01-overall-inadequate.html", 375, 812),
}


def main():
    if browser.chromium() is None:
        print("chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 1
    docs = ROOT / "docs"
    docs.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="facts-site-") as folder:
        # The bundled store as of the README's day, so the pictures match its examples.
        site.write(load_whole(BUNDLED_STORE), folder, today=datetime.date.fromisoformat(AS_OF))
        for name, (page, width, height) in SHOTS.items():
            browser.screenshot(Path(folder) / page, docs / name, width, height)
            print(f"docs/{name}: {page} at {width}x{height}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
