"""Render an SVG file to PNG with headless Chromium (Debian's ``chromium``), to see what a browser draws.

Usage: python scripts/render_svg_png.py IN.svg OUT.png [--width PX]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path


def natural_size(svg: Path) -> tuple[float, float]:
    """The SVG's ``width`` and ``height`` in px, or its viewBox's size when they are missing or relative."""
    root = ET.parse(svg).getroot()
    sizes = [re.fullmatch(r"\s*([\d.]+)\s*(px)?\s*", root.get(name, "")) for name in ("width", "height")]
    if sizes[0] and sizes[1]:
        return float(sizes[0].group(1)), float(sizes[1].group(1))
    box = root.get("viewBox", "").replace(",", " ").split()
    if len(box) == 4:
        return float(box[2]), float(box[3])
    return 1200.0, 800.0


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("svg", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=None, help="PNG width in px (default: the SVG's own)")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("error: chromium is not installed (Debian: apt-get install chromium)", file=sys.stderr)
        return 2
    try:
        natural_width, natural_height = natural_size(args.svg)
    except (OSError, ET.ParseError) as error:
        print(f"error: cannot read {args.svg}: {error}", file=sys.stderr)
        return 2
    width = args.width or round(natural_width)
    height = round(natural_height * width / natural_width)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "plan.html"
        page.write_text(
            "<!doctype html><html><body style='margin:0;background:#fff'>"
            f"<img src='{args.svg.resolve().as_uri()}' width='{width}' height='{height}' style='display:block'>"
            "</body></html>",
            encoding="utf-8",
        )
        args.png.unlink(missing_ok=True)
        command = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--allow-file-access-from-files",
            f"--screenshot={args.png.resolve()}",
            f"--window-size={width},{height}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        except subprocess.TimeoutExpired:
            print("error: chromium took more than 120 s", file=sys.stderr)
            return 1
    if not args.png.exists() or args.png.stat().st_size == 0:
        said = "\n".join(line for line in done.stderr.splitlines() if "dbus" not in line.lower())
        print(f"error: chromium wrote no {args.png} (exit {done.returncode}):\n{said[-2000:]}", file=sys.stderr)
        return 1
    print(f"{args.png}: {width} x {height} px")
    return 0


if __name__ == "__main__":
    sys.exit(main())
