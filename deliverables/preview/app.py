"""The preview's web application: the page, its state, the files of the last good
build, the derived views and the event stream.

Only the build's own files (by their manifest names) and the page's three
static files are served: no directory listing, no path from the request ever
reaches the file system unchecked. The page loads nothing from elsewhere.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from deliverables.preview.derived import Renderings
from deliverables.preview.session import Session

STATIC = {"index.html": "text/html; charset=utf-8", "app.js": "text/javascript", "app.css": "text/css"}
TYPES = {".svg": "image/svg+xml", ".pdf": "application/pdf", ".png": "image/png", ".md": "text/plain; charset=utf-8"}
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)
"""Nothing but this server: no CDN, no inline script, even inside a client's text."""
LOCAL_NAMES = ["127.0.0.1", "localhost", "::1", "[::1]"]
HEARTBEAT = 15.0


class Hub:
    """Fans each event out to every open event stream (on the event loop's thread)."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[dict[str, Any] | None]] = set()
        self.closed = False

    def publish(self, event: dict[str, Any]) -> None:
        """Send `event` to every listener."""
        for queue in list(self._queues):
            queue.put_nowait(event)

    def close(self) -> None:
        """End every stream, so the server can stop without waiting on them."""
        self.closed = True
        for queue in list(self._queues):
            queue.put_nowait(None)

    @property
    def listeners(self) -> int:
        """How many pages are connected."""
        return len(self._queues)

    async def stream(self, first: dict[str, Any], heartbeat: float = HEARTBEAT) -> AsyncIterator[str]:
        """Server-sent events: `first`, then every published event, with keep-alive comments."""
        queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        self._queues.add(queue)
        try:
            yield "retry: 1000\n" + sse(first)
            while not self.closed:
                try:
                    event = await asyncio.wait_for(queue.get(), heartbeat)
                except asyncio.TimeoutError:
                    yield ": still here\n\n"
                    continue
                if event is None:
                    return
                yield sse(event)
        finally:
            self._queues.discard(queue)


def sse(event: dict[str, Any]) -> str:
    """One server-sent event carrying `event` as JSON."""
    return f"data: {json.dumps(event, ensure_ascii=False, separators=(',', ':'))}\n\n"


def create_app(session: Session, views: Renderings, hub: Hub, hosts: list[str] | None = None, lifespan=None):
    """The Starlette application over one preview session."""

    def state(_request: Request) -> Response:
        return _json({**session.state(), "derived": views.summary()})

    def events(_request: Request) -> Response:
        first = {"type": "hello", "revision": session.snapshot.revision if session.snapshot else 0}
        headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
        return StreamingResponse(hub.stream(first), media_type="text/event-stream", headers=headers)

    def file(request: Request) -> Response:
        name = request.path_params["name"]
        path = session.path_of(name)
        if path is None:
            return _missing()
        kind = next((t for s, t in TYPES.items() if name.endswith(s)), None)
        etag = session.snapshot.files[name][:32] if session.snapshot else ""
        return FileResponse(path, media_type=kind, headers={"Cache-Control": "no-cache", "ETag": f'"{etag}"'})

    def view(request: Request) -> Response:
        found = views.get(request.path_params["name"])
        if found is None:
            return _missing()
        return _json({**found.summary(), "html": found.html, "texts": found.texts, "boxes": found.boxes})

    def image(request: Request) -> Response:
        found = views.get(request.path_params["name"])
        number = request.path_params["number"]
        if found is None or not 1 <= number <= len(found.images):
            return _missing()
        return Response(found.images[number - 1], media_type="image/png", headers={"Cache-Control": "no-cache"})

    routes = [
        Route("/", _static("index.html")),
        *(Route(f"/static/{name}", _static(name)) for name in STATIC if name != "index.html"),
        Route("/api/state", state),
        Route("/events", events),
        Route("/files/{name:path}", file),
        Route("/view/{name}", view),
        Route("/view/{name}/{number:int}.png", image),
    ]
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=hosts or LOCAL_NAMES)]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.add_middleware(_Headers)
    return app


def _static(name: str):
    data = resources.files("deliverables.preview").joinpath("static", name).read_bytes()

    def serve(_request: Request) -> Response:
        return Response(data, media_type=STATIC[name], headers={"Cache-Control": "no-cache"})

    return serve


def _json(body: dict[str, Any]) -> Response:
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


def _missing() -> Response:
    return Response("Not found", status_code=404, media_type="text/plain")


class _Headers:
    """Security headers on every response (an ASGI middleware)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        async def sending(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", POLICY.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, sending)
