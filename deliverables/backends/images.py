"""Checks of an image the client file points at (its logo) before any document uses it."""

from __future__ import annotations

import io
import warnings

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
