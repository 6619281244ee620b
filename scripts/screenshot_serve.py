"""The README's picture of `deliver serve`: the bundled example in a headless Chromium,
an open item selected, saved as a small palette PNG.

    python scripts/screenshot_serve.py [--out docs/serve-preview.png] [--tab diagram]

Needs Chromium and chromedriver installed (Debian: chromium chromium-driver) and
selenium (in the test extras).
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import Server, browser, missing, wait_until  # noqa: E402


def capture(out: Path, tab: str, width: int, height: int) -> None:
    """Serve the example, select its first open item, and save the page."""
    with tempfile.TemporaryDirectory(prefix="deliver-shot-") as work:
        source = Path(work) / "acme-analytics.yaml"
        shutil.copy(ROOT / "examples" / "acme-analytics.yaml", source)
        server = Server(source, Path(work) / "out")
        try:
            with browser(width, height) as driver:
                driver.get(f"{server.url}#{tab}")
                wait_until(lambda: driver.find_elements("css selector", "#diagram g.node"))
                ready = "return document.querySelector('#card-page img') !== null"
                wait_until(lambda: driver.execute_script(ready), timeout=300)
                driver.find_elements("css selector", "#open-list button")[0].click()
                driver.execute_script("window.scrollTo(0, 0)")
                png = driver.get_screenshot_as_png()
        finally:
            server.stop()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(_small(png))
    print(f"wrote {out} ({out.stat().st_size // 1024} KiB)")


def _small(png: bytes) -> bytes:
    """The screenshot with a 128-colour palette: a fraction of the size, same look."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    buffer = io.BytesIO()
    image.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def main() -> None:
    """Parse the options and take the picture."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "serve-preview.png")
    parser.add_argument("--tab", default="diagram")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=860)
    args = parser.parse_args()
    reason = missing()
    if reason:
        sys.exit(f"cannot take the screenshot: {reason}")
    capture(args.out, args.tab, args.width, args.height)


if __name__ == "__main__":
    main()
