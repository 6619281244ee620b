"""Images the decks embed, rendered by the other deliverables' code."""

from __future__ import annotations

from .context import Context



def diagram(ctx: Context) -> bytes:
    """The lifecycle architecture diagram of this version as PNG bytes."""
    from .renderers.diagram import diagram_png

    return diagram_png(ctx.project, ctx)  # the same picture as the diagram's PNG file
