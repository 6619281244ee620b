"""The rule about `lint_ignore` itself: silencing must name a real rule."""

from __future__ import annotations

from collections.abc import Iterator

from deliverables.core.model import Project
from deliverables.core.suggest import did_you_mean
from deliverables.lint.base import Hit, at, rule


@rule(
    "unknown-lint-ignore",
    "warning",
    "A `lint_ignore` entry naming a rule that does not exist or cannot be silenced.",
    "use a rule id from `deliver check --list-rules`",
)
def unknown_ignore(project: Project) -> Iterator[Hit]:
    """lint_ignore entries whose rule is unknown or a --final gate."""
    from deliverables.lint import RULES  # the rule table lists this rule too

    for stage in project.stages:
        for k, ignore in enumerate(stage.lint_ignore):
            known = RULES.get(ignore.rule)
            if known is None:
                message = f"unknown rule '{ignore.rule}'{did_you_mean(ignore.rule, RULES)}"
            elif known.final:
                message = f"rule '{ignore.rule}' is a --final gate and cannot be silenced"
            else:
                continue
            yield at(project, stage, message, "lint_ignore", k, "rule")
