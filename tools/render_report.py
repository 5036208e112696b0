"""Render the Action plan page in a real headless browser (Debian's chromium) to a PNG, to look at it.

    python tools/render_report.py [EXPORT...] [--jurisdiction eu] [--out /tmp/action-plan] [--width 1200]

Without exports it scans the bundled demo exports (assets/demo). Writes OUT.html and OUT.png (a
full-page screenshot: the height is measured from the page, so nothing below the fold is cut) and
OUT-print.pdf (what printing gives). Chromium runs with networking off, so the page proves it needs
nothing from the internet.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _chromium(binary: str, profile: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    command = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               "--no-first-run", "--disable-extensions", "--disable-background-networking",
               "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",  # any fetch would fail
               f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def page_height(binary: str, html: Path, width: int, profile: Path) -> int:
    """The page's full height at `width`, from the DOM chromium builds (--dump-dom runs the layout)."""
    probe = html.with_suffix(".probe.html")
    text = html.read_text(encoding="utf-8")
    # a copy that writes its own height into the DOM, so --dump-dom can read it back (the real page has no script)
    script = ("<script>document.addEventListener('DOMContentLoaded',()=>{document.title="
              "'H='+document.documentElement.scrollHeight;});</script>")
    probe.write_text(text.replace("default-src 'none'; style-src 'unsafe-inline'",
                                  "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'")
                     .replace("</head>", script + "</head>"), encoding="utf-8")
    try:
        done = _chromium(binary, profile, f"--window-size={width},1000", "--dump-dom", probe.as_uri())
    finally:
        probe.unlink(missing_ok=True)
    marker = done.stdout.split("<title>H=", 1)
    return int(marker[1].split("<", 1)[0]) if len(marker) == 2 else 3000


def render_png(html: Path, png: Path, *, width: int = 1200, binary: str | None = None) -> Path:
    """Screenshot `html` in headless chromium, full height. Raises RuntimeError when it fails."""
    binary = binary or find_chromium()
    if binary is None:
        raise RuntimeError("chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="render-report-") as profile:
        height = page_height(binary, html, width, Path(profile))
        done = _chromium(binary, Path(profile), f"--window-size={width},{height + 8}", f"--screenshot={png}",
                         html.as_uri())
        if not png.exists() or png.stat().st_size == 0:
            raise RuntimeError(f"chromium made no screenshot: {done.stderr[-500:]}")
        pdf = png.with_name(png.stem + "-print.pdf")
        _chromium(binary, Path(profile), "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri())
    return png


def main(argv: list[str] | None = None) -> int:
    from parsers.report import write_report
    from parsers.scan import scan

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("exports", nargs="*", type=Path)
    parser.add_argument("--jurisdiction", default=None, choices=["eu", "uk", "br", "us", "other"])
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "action-plan")
    parser.add_argument("--width", type=int, default=1200)
    args = parser.parse_args(argv)
    exports = args.exports or sorted((PROJECT / "assets" / "demo").glob("*.zip"))
    audit = scan(exports, jurisdiction=args.jurisdiction, jobs=1)
    html = write_report(audit, args.out.with_suffix(".html"), force=True)
    png = render_png(html, args.out.with_suffix(".png"), width=args.width)
    print(f"{html}\n{png}\n{png.with_name(png.stem + '-print.pdf')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
