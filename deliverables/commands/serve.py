"""`deliver serve`: build a client file, show every deliverable on a local page and
update the page on every save."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from deliverables.preview.app import LOCAL_NAMES

Echo = Callable[[str], None]


def warn_about_host(host: str) -> str | None:
    """The warning for a host other than this machine alone, or None."""
    if host in LOCAL_NAMES:
        return None
    return (
        f"warning: serving on {host}: anyone who can reach this machine on the network can read "
        "this client's documents while the preview runs"
    )


def serve(
    source: Path, out_root: Path, theme: Path | None, host: str, port: int, open_page: bool, echo: Echo, err: Echo
) -> None:
    """Build `source`, then serve its preview until Ctrl-C."""
    from deliverables.preview.server import Live, bind, run, url_of
    from deliverables.preview.session import Session

    warning = warn_about_host(host)
    if warning:
        err(warning)
    sock = bind(host, port)  # before the build: a taken port fails at once
    live = Live(Session(source, out_root, theme), echo, err)
    live.first_build()
    echo(f"preview of {source} at {url_of(sock)} (Ctrl-C to stop)")
    run(live, sock, open_page)
