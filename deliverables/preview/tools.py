"""The external programs that turn PDFs and decks into page images: poppler's
pdftoppm and pdftotext, and LibreOffice. Each may be missing on a user's machine;
callers ask `available` first and show what they can without it.

Every scratch file lives in a work folder inside the output root, and
LibreOffice gets its own profile there, so the preview never writes elsewhere.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

TIMEOUT = 120.0
"""Seconds one conversion may take before it is stopped."""


@dataclass(frozen=True)
class Box:
    """Where a phrase sits on a PDF page, as fractions of the page's width and height."""

    left: float
    top: float
    width: float
    height: float


class Word(NamedTuple):
    """One word of a PDF page and where it is."""

    text: str
    box: Box
    starts_line: bool


XHTML = "{http://www.w3.org/1999/xhtml}"


class Tools:
    """Runs the converters, and stops a running one when the preview closes."""

    def __init__(self, work: Path):
        self.work = work
        self._running: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.Lock()
        self.closed = False

    @staticmethod
    def available(program: str) -> bool:
        """Whether `program` (pdftoppm, pdftotext, soffice) is installed."""
        return shutil.which(program) is not None

    def run(self, args: list[str], cwd: Path | None = None) -> bytes:
        """Run one converter and return its standard output (OSError when it fails)."""
        if self.closed:
            raise OSError("the preview is closing")
        env = {**os.environ, "HOME": str(self.work)}  # LibreOffice and fontconfig caches stay here
        process = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, cwd=cwd, env=env
        )
        with self._lock:
            self._running.add(process)
        try:
            out, _ = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            process.kill()
            process.communicate()
            raise OSError(f"{args[0]} took longer than {TIMEOUT:.0f} s") from exc
        finally:
            with self._lock:
                self._running.discard(process)
        if process.returncode != 0:
            raise OSError(f"{args[0]} exited with {process.returncode}")
        return out

    def close(self) -> None:
        """Stop every converter this object started."""
        self.closed = True
        with self._lock:
            running = list(self._running)
        for process in running:
            process.kill()

    def pdf_page_png(self, pdf: Path, dpi: int, page: int = 1) -> bytes:
        """One page of a PDF as a PNG image."""
        return self.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf)])

    def pdf_pages_png(self, pdf: Path, dpi: int, scratch: Path) -> list[bytes]:
        """Every page of a PDF as PNG images, in order."""
        self.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(scratch / "page")])
        pages = sorted(scratch.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        return [page.read_bytes() for page in pages]

    def decks_to_pdf(self, decks: list[Path], scratch: Path) -> dict[str, Path]:
        """Each deck converted to PDF by LibreOffice, by the deck's file stem."""
        profile = (self.work / "libreoffice-profile").resolve().as_uri()
        args = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore"]
        self.run([*args, "--convert-to", "pdf", "--outdir", str(scratch), *map(str, decks)])
        return {deck.stem: scratch / f"{deck.stem}.pdf" for deck in decks if (scratch / f"{deck.stem}.pdf").is_file()}

    def pdf_words(self, pdf: Path) -> list[Word]:
        """The words of the first page of a PDF in reading order, with their boxes."""
        text = self.run(["pdftotext", "-bbox-layout", "-f", "1", "-l", "1", str(pdf), "-"])
        root = ET.fromstring(text)  # pdftotext's own XHTML of a PDF this tool wrote
        words: list[Word] = []
        for page in root.iter(f"{XHTML}page"):
            width, height = float(page.get("width", 1)), float(page.get("height", 1))
            for line in page.iter(f"{XHTML}line"):
                for i, word in enumerate(line.iter(f"{XHTML}word")):
                    x0, y0 = float(word.get("xMin", 0)), float(word.get("yMin", 0))
                    x1, y1 = float(word.get("xMax", 0)), float(word.get("yMax", 0))
                    box = Box(x0 / width, y0 / height, (x1 - x0) / width, (y1 - y0) / height)
                    words.append(Word(word.text or "", box, i == 0))
        return words


def find_phrase(words: list[Word], phrase: str) -> Box | None:
    """The box around the run of words spelling `phrase` (across line breaks),
    preferring one that starts a line, as a heading or a name in a list does."""
    wanted = phrase.split()
    if not wanted:
        return None
    texts = [word.text for word in words]
    found = [i for i in range(len(texts) - len(wanted) + 1) if texts[i : i + len(wanted)] == wanted]
    if not found:
        return None
    start = next((i for i in found if words[i].starts_line), found[0])
    return _union([word.box for word in words[start : start + len(wanted)]])


def _union(boxes: list[Box]) -> Box:
    left = min(b.left for b in boxes)
    top = min(b.top for b in boxes)
    right = max(b.left + b.width for b in boxes)
    bottom = max(b.top + b.height for b in boxes)
    return Box(left, top, right - left, bottom - top)
