"""Headless Chromium for the site's checks: screenshots, DOM dumps and measurements of pages."""

import html
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]
# Headless Chromium will not make a window narrower than this; narrower pages are framed.
NARROWEST_WINDOW = 500
TIMEOUT_SECONDS = 120


def chromium():
    """The path of Debian's chromium, or None when it is not installed."""
    return shutil.which("chromium")


def run(*args):
    """Run chromium headless with a fresh profile; return what it printed to stdout."""
    with tempfile.TemporaryDirectory(prefix="facts-chromium-") as profile:
        result = subprocess.run(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    if result.returncode != 0:
        raise RuntimeError(f"chromium exited {result.returncode}: {result.stderr[-2000:]}")
    return result.stdout


def _framed(pages, width, height, folder, measure=False):
    """A test page in folder showing each page in a frame width x height; with measure, a
    script in it (never in the site) reports each framed page's title, width and scripts."""
    frames = "".join(f'<iframe src="{html.escape(Path(page).resolve().as_uri())}"></iframe>' for page in pages)
    script = """<script>
window.addEventListener("load", function () {
  var report = Array.prototype.map.call(document.querySelectorAll("iframe"), function (frame) {
    var doc = frame.contentDocument;
    return {
      page: frame.getAttribute("src"),
      title: doc.title,
      scroll_width: doc.documentElement.scrollWidth,
      client_width: doc.documentElement.clientWidth,
      scripts: doc.querySelectorAll("script").length,
      chart: (function (svg) {
        if (!svg) return null;
        var box = svg.getBoundingClientRect();
        return [box.left, box.top, box.width, box.height];
      })(doc.querySelector("svg")),
      marked: doc.querySelectorAll("[data-pwned], pwned-marker").length,
      javascript_links: Array.prototype.filter.call(doc.querySelectorAll("[href],[src]"), function (e) {
        return /^\\s*javascript:/i.test(e.getAttribute("href") || e.getAttribute("src") || "");
      }).length
    };
  });
  document.getElementById("report").textContent = JSON.stringify(report);
});
</script>"""
    wrapper = Path(folder) / "framed.html"
    wrapper.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><style>html,body{margin:0;overflow:hidden}"
        f"iframe{{display:block;border:0;width:{width}px;height:{height}px}}</style></head><body>"
        f"{frames}<pre id='report'></pre>{script if measure else ''}</body></html>",
        encoding="utf-8",
    )
    return wrapper


def screenshot(page, png, width, height):
    """A PNG of page as a window width x height shows it (framed when narrower than a window can be)."""
    with tempfile.TemporaryDirectory(prefix="facts-frame-") as folder:
        target = page if width >= NARROWEST_WINDOW else _framed([page], width, height, folder)
        run(f"--window-size={width},{height}", f"--screenshot={Path(png).resolve()}", Path(target).resolve().as_uri())


def dump_dom(page, width=1280, height=900):
    """The page's DOM after it loaded, serialised as HTML."""
    return run(f"--window-size={width},{height}", "--dump-dom", Path(page).resolve().as_uri())


def measure(pages, width, height=812):
    """For each page, shown in a frame width px wide: its title, scrollWidth and clientWidth, where
    its first SVG is drawn ([left, top, width, height] or None), and how many script elements,
    marked elements and javascript: links its DOM holds after loading."""
    with tempfile.TemporaryDirectory(prefix="facts-frame-") as folder:
        wrapper = _framed(pages, width, height, folder, measure=True)
        dom = run(
            "--allow-file-access-from-files",
            f"--window-size={max(width, NARROWEST_WINDOW)},{height}",
            "--dump-dom",
            wrapper.as_uri(),
        )
    start = dom.index('<pre id="report">') + len('<pre id="report">')
    return json.loads(html.unescape(dom[start : dom.index("</pre>", start)]))
