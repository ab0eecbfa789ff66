"""Render an SVG file to PNG with headless Chromium (Debian's ``chromium``): checks that a browser draws it.

Usage: python scripts/render_svg_png.py IN.svg OUT.png [--width PX]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("svg", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=None, help="PNG width in px (default: the SVG's own)")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("chromium is not installed (Debian: apt-get install chromium)", file=sys.stderr)
        return 2
    root = ET.parse(args.svg).getroot()
    natural_width, natural_height = float(root.get("width", "1200")), float(root.get("height", "800"))
    width = args.width or int(natural_width)
    height = int(natural_height * width / natural_width)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "plan.html"
        page.write_text(
            "<!doctype html><html><body style='margin:0'>"
            f"<img src='{args.svg.resolve().as_uri()}' width='{width}' height='{height}'></body></html>",
            encoding="utf-8",
        )
        args.png.unlink(missing_ok=True)
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--allow-file-access-from-files",
                f"--screenshot={args.png.resolve()}",
                f"--window-size={width},{height}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    if not args.png.exists() or args.png.stat().st_size == 0:
        print(f"chromium wrote no {args.png}", file=sys.stderr)
        return 1
    print(f"{args.png}: {width} x {height} px")
    return 0


if __name__ == "__main__":
    sys.exit(main())
