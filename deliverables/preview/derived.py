"""Views the page derives from the built files: the Word documents as HTML, the
reference card as a page image, the decks as slide thumbnails.

They take longer than the build itself, so they are made after the page has
been told about the build, each keyed by the digest of the file it comes from
and made again only when that file changed. Where a converter is missing the
page shows what it can and says so, in words for the client.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deliverables.preview import pagedata
from deliverables.preview.session import Snapshot
from deliverables.preview.tools import Tools, find_phrase

CARD_DPI = 110
SLIDE_DPI = 40

NOTES = {
    "card-missing": "The card's page picture cannot be shown on this computer. The card itself is ready: open the PDF.",
    "card-failed": "The card's page picture could not be drawn this time. The card itself is ready: open the PDF.",
    "slides-missing": "Slide pictures cannot be shown on this computer, so the text of each slide is shown instead.",
    "slides-failed": "The slide pictures could not be drawn this time, so the text of each slide is shown instead.",
    "pending": "Updating…",
}
"""What the page says when a picture is not there; the page is on the client's screen."""


@dataclass
class Rendering:
    """One derived view: its state, the digest it was made from, and its content."""

    state: str = "pending"
    """pending, ready, or text (shown without pictures; `note` says why)."""
    key: str = ""
    note: str = NOTES["pending"]
    html: str = ""
    images: list[bytes] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    boxes: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """The JSON the page reads: everything but the image bytes."""
        return {"state": self.state, "key": self.key[:16], "note": self.note, "count": len(self.images)}


class Renderings:
    """Every derived view of the current snapshot, refreshed when its file changes."""

    def __init__(self, work: Path):
        self.work = work
        self.tools = Tools(work)
        self.views: dict[str, Rendering] = {}
        self._lock = threading.Lock()

    def stale(self, shot: Snapshot) -> list[str]:
        """The views whose file changed since they were made (or were never made)."""
        stale = [name for name, (file, _) in self._sources(shot).items() if self._key(name) != shot.files[file]]
        with self._lock:
            for name in set(self.views) - set(self._sources(shot)):
                del self.views[name]  # a deck no longer built
            for name in stale:
                self.views.setdefault(name, Rendering()).state = "pending"
        return stale

    def _key(self, name: str) -> str:
        view = self.views.get(name)
        return view.key if view is not None and view.state != "pending" else ""

    def _sources(self, shot: Snapshot) -> dict[str, tuple[str, str]]:
        """View name -> (file it is made from, kind of view)."""
        found: dict[str, tuple[str, str]] = {}
        for tab, deliverable in pagedata.DOCUMENTS.items():
            if name := shot.file_of(deliverable, ".docx"):
                found[tab] = (name, "document")
        if name := shot.file_of("reference-card", ".pdf"):
            found["card"] = (name, "card")
        for deck in pagedata.DECKS:
            if name := shot.file_of(deck, ".pptx"):
                found[deck] = (name, "deck")
        return found

    def refresh(self, shot: Snapshot, names: list[str]) -> None:
        """Make the named views again from the snapshot's files (slow: run off the event loop)."""
        sources = self._sources(shot)
        decks = [n for n in names if sources.get(n, ("", ""))[1] == "deck"]
        for name in names:
            file, kind = sources[name]
            if kind == "document":
                self._store(name, self._document(shot.folder / file, shot.files[file]))
            elif kind == "card":
                self._store(name, self._card(shot, file))
        if decks:
            for name, view in self._decks(shot, {d: sources[d][0] for d in decks}).items():
                self._store(name, view)

    def _store(self, name: str, view: Rendering) -> None:
        with self._lock:
            self.views[name] = view

    def get(self, name: str) -> Rendering | None:
        """The view by name, if the current build has it."""
        with self._lock:
            return self.views.get(name)

    def summary(self) -> dict[str, Any]:
        """Every view's state, for the page."""
        with self._lock:
            return {name: view.summary() for name, view in sorted(self.views.items())}

    def close(self) -> None:
        """Stop any converter still running."""
        self.tools.close()

    # ------------------------------------------------------------ the three kinds

    def _document(self, path: Path, key: str) -> Rendering:
        from deliverables.backends.html import docx_html

        return Rendering("ready", key, "", html=docx_html(path.read_bytes()))

    def _card(self, shot: Snapshot, file: str) -> Rendering:
        key, pdf = shot.files[file], shot.folder / file
        if not self.tools.available("pdftoppm"):
            return Rendering("text", key, NOTES["card-missing"])
        try:
            image = self.tools.pdf_page_png(pdf, CARD_DPI)
            words = self.tools.pdf_words(pdf) if self.tools.available("pdftotext") else []
        except OSError:
            return Rendering("text", key, NOTES["card-failed"])
        boxes = {}
        for stage in shot.project.stages:
            box = find_phrase(words, stage.name)
            if box is not None:
                boxes[stage.id] = box.__dict__
        return Rendering("ready", key, "", images=[image], boxes=boxes)

    def _decks(self, shot: Snapshot, decks: dict[str, str]) -> dict[str, Rendering]:
        from deliverables.backends.html import slide_texts

        views = {
            d: Rendering(
                "text", shot.files[f], NOTES["slides-missing"], texts=slide_texts((shot.folder / f).read_bytes())
            )
            for d, f in decks.items()
        }
        if not (self.tools.available("soffice") and self.tools.available("pdftoppm")):
            return views
        self.work.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix="slides-", dir=self.work))
        try:
            pdfs = self.tools.decks_to_pdf([shot.folder / f for f in decks.values()], scratch)
            for deck, file in decks.items():
                pages = scratch / deck
                pages.mkdir()
                images = self.tools.pdf_pages_png(pdfs[Path(file).stem], SLIDE_DPI, pages)
                view = views[deck]
                views[deck] = Rendering("ready", view.key, "", images=images, texts=view.texts)
        except (OSError, KeyError):
            for view in views.values():
                if view.state != "ready":
                    view.note = NOTES["slides-failed"]
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return views
