"""Word-level diff of two texts, as segments every output format can render.

Segments are ("=", kept), ("-", removed) and ("+", added) texts; joining the
"=" and "-" texts gives the old text back, "=" and "+" the new one. Tokens are
words, single punctuation marks and runs of whitespace; Han, kana and hangul,
written without spaces, count one character per token.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

Segment = tuple[str, str]

# Han, kana and hangul are written without spaces: diff them per character.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_TOKEN = re.compile(f"[{_CJK}]|[^\\W{_CJK}]+|\\s+|[^\\w\\s]")
# Beyond this many tokens a quadratic diff is not worth it: show old and new whole.
_MAX_TOKENS = 4000


def marked(detail: Sequence[Segment]) -> str:
    """A word diff as one text with `[-removed-]` and `{+added+}` markers."""
    wrap = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    return "".join(wrap[op].format(text) for op, text in detail)


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Word-level diff: segments ("=", kept), ("-", removed), ("+", added).
    Joining the "=" and "-" texts gives `old`; "=" and "+" gives `new`."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    if len(a) + len(b) > _MAX_TOKENS:
        return tuple(s for s in (("-", old), ("+", new)) if s[1])
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    segments: list[Segment] = []
    removed, added = "", ""
    codes = matcher.get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(codes):
        kept = "".join(a[i1:i2])
        # A lone space between two edits reads better inside the edit.
        bridge = tag == "equal" and not kept.strip() and (removed or added) and index + 1 < len(codes)
        if tag == "equal" and not bridge:
            segments += _flush(removed, added) + [("=", kept)]
            removed, added = "", ""
        else:
            removed += "".join(a[i1:i2])
            added += "".join(b[j1:j2]) if tag != "equal" else kept
    return tuple(segments + _flush(removed, added))


def _flush(removed: str, added: str) -> list[Segment]:
    return [s for s in (("-", removed), ("+", added)) if s[1]]
