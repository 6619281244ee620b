"""Images: the checks of one the client file points at (its logo) before any document
uses it, and the pixels of a vector picture (`png`: the diagram, the audit's charts)."""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Sequence

MAX_PIXELS = 40_000_000
"""A logo with more pixels than this is refused: it would only be shrunk to 2 cm."""

SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")
"""PNG and JPEG: the images the documents embed; anything else is left to the deliverable."""


def damage(data: bytes) -> str | None:
    """What is wrong with a PNG or JPEG image (`is damaged (...), expected ...`), or None
    when it is sound or not one of those (whose deliverable decides)."""
    from PIL import Image

    if not data.startswith(SIGNATURES):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return (
                        f"is {width:,} x {height:,} pixels, expected an image of at most "
                        f"{MAX_PIXELS // 1_000_000} million pixels"
                    )
                image.verify()
    except Image.DecompressionBombError:
        return f"has too many pixels, expected an image of at most {MAX_PIXELS // 1_000_000} million pixels"
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        return f"is a damaged image ({exc}), expected a readable PNG or JPEG image"
    return None


_POINTS = re.compile(rb'(<svg [^>]*?width="[\d.]+)pt(" height="[\d.]+)pt"')
"""The root element's size in points, as Graphviz and matplotlib write it."""


def png(svg: bytes, width_px: int, fonts: Sequence[str] = (), family: str | None = None) -> bytes:
    """The SVG drawn by resvg at `width_px` wide on white, with no system fonts: only the
    `fonts` files (text drawn in `family`), or none for a picture whose text is paths."""
    import resvg_py

    # resvg-py rejects sizes in pt: give the same size as unitless user units.
    unitless = _POINTS.sub(rb'\1\2"', svg, count=1)
    options = {"font_files": list(fonts), "font_family": family, "sans_serif_family": family} if fonts else {}
    drawn = resvg_py.svg_to_bytes(
        svg_string=unitless.decode("utf-8"), width=width_px, skip_system_fonts=True, background="#ffffff", **options
    )
    return bytes(drawn)
