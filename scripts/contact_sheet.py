"""Render a deck's slides to PNG and lay them out on one contact sheet.

    python scripts/contact_sheet.py DECK.pptx OUT.png [--columns 4] [--width 1600] [--keep DIR]

Converts the deck with LibreOffice (`soffice`) to PDF, rasterizes every page
with `pdftoppm`, and tiles the pages in slide order on a light grey sheet,
each with its slide number. `--keep DIR` also leaves the page PNGs there, to
look at slide by slide. The README's picture of the example's kickoff deck is
made with `python scripts/contact_sheet.py --example docs/kickoff-contact-sheet.png`.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GAP, LABEL = 12, 18


def pages(deck: Path, work: Path, dpi: int = 60) -> list[Path]:
    """The deck's slides as PNG files in `work`, in order."""
    profile = f"-env:UserInstallation=file://{work / 'profile'}"
    command = ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(work), str(deck)]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    pdf = work / f"{deck.stem}.pdf"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(work / "slide")], check=True, timeout=300)
    return sorted(work.glob("slide-*.png"))


def sheet(images: list[Path], out: Path, columns: int, width: int) -> None:
    """Tile the pages `columns` across, the sheet `width` pixels wide, numbered."""
    from PIL import Image, ImageDraw

    tile_w = (width - GAP * (columns + 1)) // columns
    tiles = []
    for path in images:
        with Image.open(path) as page:
            tiles.append(page.convert("RGB").resize((tile_w, round(page.height * tile_w / page.width))))
    tile_h = max(t.height for t in tiles)
    rows = -(-len(tiles) // columns)
    canvas = Image.new("RGB", (width, GAP + rows * (tile_h + LABEL + GAP)), "#E5E7EB")
    pen = ImageDraw.Draw(canvas)
    for index, tile in enumerate(tiles):
        row, column = divmod(index, columns)
        left, top = GAP + column * (tile_w + GAP), GAP + row * (tile_h + LABEL + GAP)
        pen.text((left, top), str(index + 1), fill="#4B5563")
        canvas.paste(tile, (left, top + LABEL))
    # A palette keeps the sheet small enough to live in the repository.
    canvas.quantize(colors=96).save(out, optimize=True)


def example_deck(work: Path) -> Path:
    """Build the bundled example and return its kickoff deck."""
    example = ROOT / "examples" / "acme-analytics.yaml"
    subprocess.run(
        [sys.executable, "-m", "deliverables", "build", str(example), "--out", str(work / "out")], check=True
    )
    return next((work / "out").glob("*/v*/kickoff-deck-v*.pptx"))


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and write the sheet."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("deck", nargs="?", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--example", action="store_true", help="use the bundled example's kickoff deck")
    parser.add_argument("--columns", type=int, default=4)
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--keep", type=Path, help="folder to keep the page PNGs in")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        deck = example_deck(work) if args.example else args.deck
        images = pages(deck.resolve(), work)
        sheet(images, args.out, args.columns, args.width)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for path in images:
                shutil.copy(path, args.keep / path.name)
    print(f"wrote {args.out} ({len(images)} slides)")


if __name__ == "__main__":
    main()
