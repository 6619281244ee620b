"""`deliver new`: a complete, commented client file from a reference architecture."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from ruamel.yaml import YAML

from deliverables.core.errors import DeliverError
from deliverables.core.model import new_slug
from deliverables.core.paths import architectures_root
from deliverables.core.suggest import did_you_mean

SCHEMA_FILE = "client.schema.json"
NEXT_MEETING = "next_meeting: YYYY-MM-DD   # {meeting}, once booked: next steps become due by it"


def architectures() -> tuple[str, ...]:
    """Names of the shipped reference architectures."""
    return tuple(sorted(p.name[:-5] for p in architectures_root().iterdir() if p.name.endswith(".yaml")))


def architecture_text(name: str) -> str:
    """The commented YAML of a reference architecture."""
    if name not in architectures():
        hint = did_you_mean(name, architectures())
        raise DeliverError(f"unknown architecture '{name}'{hint}; available: {', '.join(architectures())}")
    return architectures_root().joinpath(f"{name}.yaml").read_text(encoding="utf-8")


def scaffold(name: str, arch: str, crm: str | None, today: dt.date | None = None) -> str:
    """The client file text: the architecture with the client's name (and CRM) and
    today's date filled in, comments and layout kept, headed by the editor schema line."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    data = yaml.load(architecture_text(arch))
    data["client"]["name"] = name
    data["client"]["slug"] = new_slug(name)
    # A scaffold is written today; every later version carries its own date.
    data.insert(list(data).index("meeting") + 1, "date", today or dt.date.today())
    # The next meeting is rarely booked yet: a commented line, right below the date, to fill in.
    after = list(data)[list(data).index("date") + 1]
    data.yaml_set_comment_before_after_key(after, before=NEXT_MEETING.format(meeting=_after(data.get("meeting"))))
    if crm and crm != data["client"].get("crm"):
        data["client"]["crm"] = crm
        _drop_crm_mappings(data)
    out = io.StringIO()
    yaml.dump(data, out)
    body = "\n".join(line for line in out.getvalue().splitlines() if "yaml-language-server" not in line)
    return f"# yaml-language-server: $schema={SCHEMA_FILE}\n{body}\n"


def _after(meeting: object) -> str:
    from deliverables.documents.words.due import MEETINGS, meeting_name

    index = MEETINGS.index(meeting) + 1 if meeting in MEETINGS else len(MEETINGS)
    return meeting_name(MEETINGS[index]) if index < len(MEETINGS) else "the next meeting"


def _drop_crm_mappings(data: object) -> None:
    """Per-stage CRM mappings belong to the architecture's CRM; for another CRM the
    spec proposes its own defaults, so the copied mappings are left out."""
    for stage in data.get("stages") or ():  # type: ignore[union-attr]
        if "crm" in stage:
            del stage["crm"]


def write_scaffold(name: str, arch: str, crm: str | None, out: Path | None, force: bool) -> Path:
    """Write the scaffolded file (and the schema beside it); refuse to overwrite."""
    from deliverables.core.schema import json_schema
    from deliverables.pipeline.manifest import canonical_json
    from deliverables.pipeline.storage import write_file

    if not name.strip():
        raise DeliverError(
            'the client\'s name is empty; give it as NAME, e.g. deliver new "Acme Analytics" --from standard'
        )
    target = out or Path(f"{new_slug(name)}.yaml")
    if target.exists() and not force:
        raise DeliverError(f"{target} already exists; choose another --out or pass --force")
    schema, schema_path = canonical_json(json_schema()), target.parent / SCHEMA_FILE
    if not force and _differs(schema_path, schema):
        raise DeliverError(
            f"{schema_path} already exists and is not the schema of this version of deliver; "
            "move it away or pass --force to replace it"
        )
    write_file(target, scaffold(name, arch, crm).encode("utf-8"))
    write_file(schema_path, schema)
    return target


def _differs(path: Path, data: bytes) -> bool:
    """Whether something other than exactly `data` is at `path`."""
    if not path.exists() and not path.is_symlink():
        return False
    try:
        return path.is_symlink() or not path.is_file() or path.read_bytes() != data
    except OSError:
        return True
