"""Run the preview: build once, serve the page, rebuild on every save, tell the
page, then derive the slower views. Ctrl-C ends the event streams first, so the
server stops at once instead of waiting on open pages.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import socket
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import uvicorn

from deliverables.core.errors import DeliverError
from deliverables.pipeline.incremental import INDEX_DIR
from deliverables.preview.app import LOCAL_NAMES, Hub, create_app
from deliverables.preview.derived import Renderings
from deliverables.preview.session import Session

Echo = Callable[[str], None]
QUICK = ("diagram",)
"""Built and shown first after a save: what the page shows most of, and quickly."""
ORDER = ("card", "alignment", "faq", "crm", "kickoff-deck", "refinement-deck", "handoff-deck")
"""Derived views are made quickest and most looked-at first."""


class Live:
    """The running preview of one session: watcher, deriving loop and event hub."""

    def __init__(self, session: Session, echo: Echo, err: Echo):
        self.session = session
        self.views = Renderings(session.out_root / INDEX_DIR / "preview")
        self.hub = Hub()
        self.echo, self.err = echo, err
        self.stop: anyio.Event | None = None  # made on the loop, in `lifespan`
        self._wanted: asyncio.Event | None = None

    def first_build(self) -> None:
        """The build before serving (in the main thread, so it may render in parallel)."""
        self.report(self.session.rebuild())
        if self.session.snapshot is not None:
            self.views.stale(self.session.snapshot)

    def report(self, event: dict[str, Any]) -> None:
        """Say in the terminal what a rebuild did."""
        if event["type"] == "failed":
            for line in event["errors"]:
                self.err(line)
            self.err("kept the last good preview; waiting for the next save")
            return
        for line in event["warnings"]:
            self.err(line)
        what = ", ".join(event["rebuilt"]) or "nothing (up to date)"
        first = f" (page updated after {event['first']:.2f} s)" if "first" in event else ""
        self.echo(f"{event['at']} rebuilt {what} in {event['seconds']:.2f} s{first}")

    @contextlib.asynccontextmanager
    async def lifespan(self, _app):
        """Start watching and deriving with the server; stop both with it."""
        self.stop = anyio.Event()
        self._wanted = asyncio.Event()
        self._wanted.set()
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(self._watch)
            tasks.start_soon(self._derive)
            try:
                yield
            finally:
                self.close()
                tasks.cancel_scope.cancel()

    def close(self) -> None:
        """End the streams, stop converters and the watcher (on the event loop's thread)."""
        self.hub.close()
        self.views.close()
        if self.stop is not None:
            self.stop.set()

    def watched(self) -> tuple[list[Path], set[Path]]:
        """Folders to watch and the files in them that matter: the client file, its logo, its theme."""
        source = self.session.source.resolve()
        files = {source}
        shot = self.session.snapshot
        if shot is not None and shot.project.client.logo:
            files.add((source.parent / shot.project.client.logo).resolve())
        theme = self.session.theme
        if theme is None and shot is not None and shot.project.theme:
            theme = source.parent / shot.project.theme
        folders = {f.parent for f in files if f.parent.is_dir()}
        if theme is not None and theme.is_dir():
            folders.add(theme.resolve())
        return sorted(folders), files

    async def _watch(self) -> None:
        from watchfiles import awatch

        folders, files = self.watched()
        theme = {f for f in folders if f not in {p.parent for p in files}}

        def relevant(_change: Any, path: str) -> bool:
            found = Path(os.path.abspath(path))
            return found in files or found.parent in theme

        async for _changes in awatch(
            *folders, watch_filter=relevant, debounce=60, step=20, stop_event=self.stop, recursive=False
        ):
            await self.rebuild()

    async def rebuild(self) -> None:
        """Rebuild after a save in two steps, telling the page after each: the diagram and
        the lists first, then every other deliverable; then ask for the slower views."""
        self.hub.publish({"type": "building"})
        quick = await anyio.to_thread.run_sync(self.session.rebuild, QUICK, abandon_on_cancel=True)
        if quick["type"] == "updated":
            self.hub.publish(quick)
            event = await anyio.to_thread.run_sync(self.session.rebuild, abandon_on_cancel=True)
        else:
            event = quick
        if event["type"] == "updated" and self.session.snapshot is not None:
            if event is not quick:
                event["changes"] = quick["changes"]
                event["rebuilt"] = list(dict.fromkeys(quick["rebuilt"] + event["rebuilt"]))
                event["first"] = quick["seconds"]
                event["seconds"] = round(quick["seconds"] + event["seconds"], 3)
                self.session.update.update({k: event[k] for k in ("changes", "rebuilt", "seconds")})
            self.views.stale(self.session.snapshot)
            event["derived"] = self.views.summary()
        self.report(event)
        self.hub.publish(event)
        if self._wanted is not None:
            self._wanted.set()

    async def _derive(self) -> None:
        assert self._wanted is not None
        while True:
            await self._wanted.wait()
            self._wanted.clear()
            shot = self.session.snapshot
            if shot is None:
                continue
            pending = [n for n, v in self.views.summary().items() if v["state"] == "pending"]
            decks = [n for n in pending if n.endswith("-deck")]
            batches = [[n] for n in ORDER if n in pending and n not in decks] + ([decks] if decks else [])
            for batch in batches:
                if self._wanted.is_set():
                    break  # a newer build arrived: start again from its files
                await anyio.to_thread.run_sync(self.views.refresh, shot, batch, abandon_on_cancel=True)
                self.hub.publish({"type": "views", "ready": batch, "derived": self.views.summary()})


class _Server(uvicorn.Server):
    """uvicorn, closing the event streams when asked to stop and opening the page once up."""

    def __init__(self, config: uvicorn.Config, live: Live, url: str | None):
        super().__init__(config)
        self.live, self.url = live, url
        self.loop: asyncio.AbstractEventLoop | None = None

    async def startup(self, sockets=None) -> None:
        self.loop = asyncio.get_running_loop()
        await super().startup(sockets=sockets)
        if self.url:
            threading.Thread(target=webbrowser.open, args=(self.url,), daemon=True).start()

    def handle_exit(self, sig: int, frame: Any) -> None:
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self.live.close)
        super().handle_exit(sig, frame)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: any free one); a clear error when taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise DeliverError(
                f"port {port} on {host} is in use; choose another with --port (0 picks a free one)"
            ) from None
        raise DeliverError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    """The page's address for a bound socket."""
    host, port = sock.getsockname()[:2]
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


def run(live: Live, sock: socket.socket, open_page: bool) -> None:
    """Serve until Ctrl-C (uvicorn re-raises it as KeyboardInterrupt once stopped)."""
    host = sock.getsockname()[0]
    hosts = ["*"] if host not in LOCAL_NAMES else LOCAL_NAMES
    app = create_app(live.session, live.views, live.hub, hosts, lifespan=live.lifespan)
    config = uvicorn.Config(app, log_level="warning", access_log=False, timeout_graceful_shutdown=2, lifespan="on")
    _Server(config, live, url_of(sock) if open_page else None).run(sockets=[sock])
