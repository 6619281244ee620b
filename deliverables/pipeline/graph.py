"""The artefact graph: which deliverables a build needs, in which order, under
which keys, and which of them must be rendered again.

A deliverable's key is the fingerprint of its view, of the external files it
reads and of the keys of the artefacts it consumes, so a change anywhere
upstream (an owner that moves the diagram, a new logo) reaches every
deliverable that shows it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from deliverables.core.context import EVERY, Context, Listing
from deliverables.core.errors import BuildError, DeliverError, InputError
from deliverables.pipeline import costs, incremental, inputs, manifest, registry, workers
from deliverables.pipeline.registry import Deliverable
from deliverables.pipeline.storage import read_output, safe_relative


@dataclass
class Node:
    """One deliverable of this build: its module, context, view and key."""

    name: str
    module: Deliverable
    ctx: Context
    view: Any = None
    parts: dict[str, Any] = field(default_factory=dict)
    """What the key is made of: view, environment, inputs and consumed keys."""
    key: str = ""

    @property
    def needs(self) -> tuple[str, ...]:
        """Deliverables whose file bytes this one consumes."""
        return tuple(dict.fromkeys(c.deliverable for c in self.module.CONSUMES if c.suffix))


@dataclass
class Produced:
    """What the build made of one deliverable."""

    files: dict[str, bytes]
    record: dict[str, Any]
    warnings: list[Any]
    failure: BaseException | None = None
    """Why it could not be rendered; `files` then holds its files of the earlier build, if any."""


def closure(selected: Sequence[str]) -> tuple[str, ...]:
    """The selected deliverables plus every one whose files they consume, producers first."""
    wanted: dict[str, None] = {}

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in path:
            raise BuildError(f"deliverables consume each other in a circle: {' -> '.join((*path, name))}")
        if name in wanted:
            return
        for need in registry.load(name).CONSUMES:
            if need.suffix and need.deliverable != EVERY:
                visit(need.deliverable, (*path, name))
        wanted[name] = None

    for name in selected:
        visit(name, ())
    return tuple(wanted)


def plan(base: Context, selected: Sequence[str]) -> list[Node]:
    """Every node of the build in dependency order, with its view and key."""
    return list(planned(base, selected))


def planned(base: Context, selected: Sequence[str], pool: Any = None) -> Iterator[Node]:
    """The nodes of the build one at a time, each with its view and key, producers first.

    Lazily, so that a build renders the first nodes while it still plans the
    later ones: the views that read the CRM exports (an audit) come last, once
    the rest is rendering. With a worker `pool`, the slow work on those inputs
    starts in a worker before the first view is made.
    """
    env = incremental.content_key(base.theme)
    nodes: dict[str, Node] = {}
    order = _cheap_first(closure(selected))
    slow: dict[str, bytes] = {}
    if pool is not None:
        _start_slow(base, order, pool, slow)
    lists: dict[str, Listing] = {}
    for name in order:
        module = registry.load(name)
        if _wants_lists(module) and not lists:
            # Every deliverable's file names (the card's need its layout): made when the
            # first node showing them is planned, not before the first views.
            lists = _listing(base)
        ctx = replace(base, warnings=[], inputs={}, artefacts={}, listing=lists if _wants_lists(module) else {})
        ctx.inputs = _load(module.EXTERNAL, ctx, slow)
        node = Node(name, module, ctx, module.view(ctx.project, ctx))
        node.parts = {
            "view": incremental.view_key(node.view),
            "environment": env,
            "inputs": {role: manifest.digest(data) for role, data in sorted(ctx.inputs.items())},
            "consumes": {n: nodes[n].key for n in node.needs},
        }
        if _wants_lists(module):
            node.parts["listing"] = incremental.view_key(lists)
        node.key = incremental.view_key(node.parts)
        nodes[name] = node
        yield node


SLOW_INPUTS = {"exports": "deliverables.backends.data"}
"""External inputs whose views take long to make (the audit measures the CRM exports),
each with the module whose `start(ctx, submit)` begins that work in a worker."""


def _load(roles: Sequence[str], ctx: Context, slow: dict[str, bytes]) -> dict[str, bytes]:
    """A node's external files; the slow inputs' fingerprints (the exports' hashes of
    possibly large files) are read once per build, in `slow`, for every node that reads them."""
    fresh = [role for role in roles if role not in slow]
    found = inputs.load(fresh, ctx)
    slow.update((role, found[role]) for role in fresh if role in SLOW_INPUTS and role in found)
    return {**{role: slow[role] for role in roles if role in slow}, **found}


def _start_slow(base: Context, order: Sequence[str], pool: Any, slow: dict[str, bytes]) -> None:
    """Hand the slow inputs' work to a worker now; the views that need it wait for it."""
    import importlib

    roles = dict.fromkeys(r for n in order for r in registry.load(n).EXTERNAL if r in SLOW_INPUTS)
    for role in roles:
        ctx = replace(base, warnings=[], inputs={}, artefacts={})
        try:
            ctx.inputs = _load((role,), ctx, slow)
        except DeliverError:
            continue  # the node that reads it raises the error, positioned, in its turn
        importlib.import_module(SLOW_INPUTS[role]).start(ctx, pool.submit)


def _cheap_first(order: Sequence[str]) -> tuple[str, ...]:
    """Dependency order kept, with the nodes whose views read slow inputs, and those that
    consume them, moved after the others."""
    late: set[str] = set()
    for name in order:
        module = registry.load(name)
        if any(role in SLOW_INPUTS for role in module.EXTERNAL) or any(
            need.deliverable in late for need in module.CONSUMES
        ):
            late.add(name)
    return tuple(n for n in order if n not in late) + tuple(n for n in order if n in late)


def _wants_lists(module: Deliverable) -> bool:
    return any(c.deliverable == EVERY and not c.suffix for c in module.CONSUMES)


def _listing(base: Context) -> dict[str, Listing]:
    found = {}
    for name in registry.names():
        module = registry.load(name)
        found[name] = Listing(module.DESCRIPTION, tuple(sorted(module.files(base.project))))
    return found


def produce(nodes: Iterable[Node], earlier: Path | None, pool: Any = None) -> dict[str, Produced]:
    """Every node's files: taken from `earlier` when its key is unchanged, else rendered.

    Nodes that do not consume each other render in parallel in the worker
    `pool` (see `workers.pool`; None renders here). A node whose render fails
    does not stop the others: it is recorded as failed, with the reason, and
    keeps the files it had in `earlier` (none in a first build); so does every
    node that consumes its files.
    """
    recorded = manifest.read(earlier)
    before = manifest.section(recorded, "deliverables")
    hashes = manifest.section(recorded, "files")
    done: dict[str, dict[str, bytes]] = {}
    planned: list[Node] = []
    upcoming = iter(nodes)
    # The order jobs are handed out in: the longest work first, as the last builds measured it.
    rank = costs.ranks(registry.names(), _consumers, costs.load())
    spent: dict[str, float] = {}

    def more() -> tuple[str, workers.Job | None, dict[str, bytes] | None] | None:
        """Plan the next node: its job, or its files kept from `earlier`; None when all are planned."""
        node = next(upcoming, None)
        if node is None:
            return None
        planned.append(node)
        kept = _reuse(earlier, before.get(node.name), node, hashes)
        if kept is not None:
            done[node.name] = kept
            return node.name, None, kept
        return node.name, _job(node, rank.get(node.name, 0.0)), None

    outcomes = workers.run({}, {}, pool, more, spent)
    costs.record(spent)
    nodes = planned
    produced = {}
    for node in nodes:
        outcome = outcomes.get(node.name)
        if isinstance(outcome, BaseException):
            produced[node.name] = _failed(node, outcome, outcomes, earlier, before.get(node.name), hashes)
            continue
        kept = node.name in done
        files, late = (done[node.name], []) if kept else outcome
        reason = "unchanged" if kept else _reason(before.get(node.name), node)
        record = {"files": sorted(files), **node.parts, "key": node.key, "reason": reason}
        record["action"] = "kept" if kept else "rebuilt"
        produced[node.name] = Produced(files, record, [*node.ctx.warnings, *late])
    _check_outputs(nodes, produced)
    return produced


def failure_reason(exc: BaseException) -> str:
    """One line saying why a deliverable could not be rendered."""
    if isinstance(exc, InputError):
        return "; ".join(f"{p.file}:{p.line}:{p.column}: {p.where}: {p.message}" for p in exc.problems)
    if isinstance(exc, DeliverError):
        return exc.format_message()
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else 'no message'}"


def _failed(
    node: Node, exc: BaseException, outcomes: dict[str, Any], earlier: Path | None, entry: Any, hashes: dict[str, Any]
) -> Produced:
    producer = next((n for n in node.needs if outcomes.get(n) is exc), None)
    exc = inputs.placed(node.ctx, exc)
    own = failure_reason(exc).removeprefix(f"{node.name}: ")
    reason = f"it uses the files of '{producer}', which failed" if producer else own
    files = _previous_files(earlier, entry, hashes)
    record = {"files": sorted(files), "action": "failed", "reason": reason}
    return Produced(files, record, list(node.ctx.warnings), exc)


def _previous_files(folder: Path | None, entry: Any, hashes: dict[str, Any]) -> dict[str, bytes]:
    """The files a deliverable had in the earlier build, those still intact."""
    if folder is None or not isinstance(entry, dict) or not isinstance(entry.get("files"), list):
        return {}
    files = {}
    for name in entry["files"]:
        try:
            data = read_output(folder, str(name))
        except (OSError, DeliverError):
            continue
        if manifest.digest(data) == hashes.get(name):
            files[str(name)] = data
    return files


def _job(node: Node, rank: float) -> workers.Job:
    suffixes: dict[str, tuple[str, ...]] = {}
    for need in node.module.CONSUMES:
        if need.suffix:
            suffixes[need.deliverable] = (*suffixes.get(need.deliverable, ()), need.suffix)
    return workers.Job(node.name, node.view, node.ctx, node.needs, suffixes, rank)


def _consumers(name: str) -> list[str]:
    """The registered deliverables that consume the files of `name`."""
    return [
        other
        for other in registry.names()
        if any(c.deliverable == name and c.suffix for c in registry.load(other).CONSUMES)
    ]


def _reuse(folder: Path | None, entry: Any, node: Node, hashes: dict[str, Any]) -> dict[str, bytes] | None:
    if folder is None or not isinstance(entry, dict) or entry.get("key") != node.key:
        return None
    try:
        files = {name: read_output(folder, name) for name in entry["files"]}
    except (OSError, KeyError, TypeError, DeliverError):
        return None
    # A file changed by hand since it was built must not be carried forward.
    if any(manifest.digest(data) != hashes.get(name) for name, data in files.items()):
        return None
    return files


def _reason(entry: Any, node: Node) -> str:
    if not isinstance(entry, dict) or "key" not in entry:
        return "new"
    for part, reason in (
        ("environment", "templates or tool changed"),
        ("view", "content changed"),
        ("inputs", "external files changed"),
        ("consumes", "a consumed artefact changed"),
        ("listing", "the list of files changed"),
    ):
        if entry.get(part) != node.parts.get(part):
            return reason
    return "files missing"


def _check_outputs(nodes: list[Node], produced: dict[str, Produced]) -> None:
    owner: dict[str, str] = {}
    for node in nodes:
        for file_name in produced[node.name].files:
            safe_relative(file_name)
            if not file_name.endswith(node.module.SUFFIXES):
                raise BuildError(f"deliverable '{node.name}' produced {file_name!r}, not one of {node.module.SUFFIXES}")
            if file_name in owner:
                raise BuildError(f"two deliverables produce {file_name!r}: '{owner[file_name]}' and '{node.name}'")
            owner[file_name] = node.name
