"""Property: arbitrary text in any text field either builds, with the text
recoverable from the output, or is refused with a positioned error."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from deliverables.core.bullets import _PASTED as PASTED_BULLET
from deliverables.core.errors import InputError
from deliverables.pipeline.build import build_file

pytestmark = pytest.mark.slow  # a few hundred generated client files

FIELDS = ("client.name", "stage.name", "stage.definition", "stage.entry", "term.definition", "architect")


def client_yaml(field: str, text: str) -> str:
    value = json.dumps(text)  # JSON strings are valid YAML double-quoted scalars
    values = {f: json.dumps("x") for f in FIELDS}
    values[field] = value
    return (
        f"client: {{name: {values['client.name']}}}\nversion: 1\narchitect: {values['architect']}\n"
        f"stages:\n  - id: mql\n    name: {values['stage.name']}\n    domain: lead\n"
        f"    definition: {values['stage.definition']}\n    entry: [{values['stage.entry']}]\n"
        f"terms:\n  - term: MQL\n    definition: {values['term.definition']}\n"
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(field=st.sampled_from(FIELDS), text=st.text(min_size=1, max_size=80))
@example(field="client.name", text="0\xad")  # a soft hyphen at the end is taken off
@example(field="stage.definition", text="a\u2028b\u202ec\u00add")
def test_any_text_builds_or_is_refused_with_a_position(field: str, text: str, tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("prop")
    source = folder / "c.yaml"
    source.write_text(client_yaml(field, text), encoding="utf-8", errors="surrogatepass")
    try:
        result = build_file(source, folder / "out")
    except InputError as exc:
        assert all(p.line >= 1 and p.file == str(source) for p in exc.problems)
        return
    model = json.loads((result.folder / "model.json").read_text(encoding="utf-8"))
    value = {
        "client.name": model["client"]["name"],
        "architect": model["architect"],
        "stage.name": model["stages"][0]["name"],
        "stage.definition": model["stages"][0]["definition"],
        "stage.entry": model["stages"][0]["entry"][0],
        "term.definition": model["terms"][0]["definition"],
    }[field]
    expected = _expected(text)
    if field == "stage.entry":  # a bullet pasted with a criterion is taken off
        expected = PASTED_BULLET.sub("", expected)
    assert value.split() == expected.split()


EDGES = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
"""Invisible characters taken off the ends of a value (with the spaces next to them)."""
UNSEEN = "\u00ad\u200b\u2060\ufeff\u202d\u202e"
"""Invisible characters taken out anywhere: soft hyphens, zero-width spaces, word joiners,
byte-order marks and the bidirectional overrides."""


def _expected(text: str) -> str:
    """The text as documents carry it: line breaks kept (Word's line and paragraph
    separators among them), unprintable controls and invisible characters dropped."""
    if text and (text[0] in EDGES or text[-1] in EDGES):
        text = text.strip(EDGES + " \t\n\u00a0")
    out = []
    for char in text:
        code = ord(char)
        if char in "\v\f\r\u2028\u2029":
            out.append("\n")
        elif (
            (code < 0x20 and char not in "\t\n")
            or 0x7F <= code <= 0x9F
            or 0xD800 <= code <= 0xDFFF
            or code in (0xFFFE, 0xFFFF)
            or char in UNSEEN
        ):
            continue
        else:
            out.append(char)
    return "".join(out)
