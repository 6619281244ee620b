"""Which CRM fields a metric reads, and where its report is built, on the client's platform.

A stage's own `crm:` mapping is used when given; otherwise the platform's default
field for its domain from `templates/crm/defaults.yaml`, the same defaults the CRM
Configuration Spec proposes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from deliverables.core import stages as known
from deliverables.core.model import Project, Stage

ALIASES = {"salesforce": "salesforce", "hubspot": "hubspot"}
OUTSIDE_CRM = "measured outside the CRM"
"""What a metric reads for stages the client measures outside the CRM (web analytics)."""


class Fields:
    """CRM fields and report locations for one client."""

    def __init__(self, project: Project, defaults: dict[str, Any], text: dict[str, Any]):
        self.project, self.defaults, self.text = project, defaults, text
        self.crm = ALIASES.get(project.client.crm, "other")
        self.platform = text["platforms"][self.crm]

    def field(self, stage: Stage) -> tuple[str, str, str]:
        """(object, field, value) holding the stage on the platform."""
        if stage.crm is not None:
            if self.crm in self.defaults["aliases"]:
                aliases = self.defaults["aliases"][self.crm]
                obj = aliases["objects"].get(stage.crm.object.casefold(), stage.crm.object)
                field = aliases["fields"].get(stage.crm.field.casefold(), stage.crm.field)
                return obj, field, stage.crm.value
            return stage.crm.object, stage.crm.field, stage.crm.value
        table = self.defaults.get(self.crm if self.crm != "other" else "salesforce", {})
        spec = table.get("domains", {}).get(stage.domain) or table.get("other_domain", {})
        value = stage.name if self.crm != "hubspot" else stage.id.replace("-", "_")
        return (
            spec.get("object", "Contact"),
            spec.get("field", "Lifecycle_Stage__c").replace("{domain}", stage.domain),
            value,
        )

    def of(self, stages: Sequence[Stage], short: bool = False) -> str:
        """The fields a metric on these stages reads: `contacts.lifecyclestage = mql, sal`."""
        grouped: dict[str, list[str]] = {}
        inside = [stage for stage in stages if not known.outside_crm(stage)]
        if not inside:  # the client measures these stages outside the CRM
            return OUTSIDE_CRM
        for stage in inside:
            obj, field, value = self.field(stage)
            # In narrow table cells the object goes apart from the field, so a line may
            # break between them rather than inside an API name.
            values = grouped.setdefault(f"{obj} · {field}" if short else f"{obj}.{field}", [])
            if value not in values:
                values.append(value)
        outside = [f"{stage.name} {OUTSIDE_CRM}" for stage in stages if stage not in inside]
        if short:
            # One field a line, its values below: a line never breaks inside an API name.
            return "\n".join([f"{name}\n= {', '.join(values)}" for name, values in grouped.items()] + outside)
        text = "; ".join([f"{name} = {', '.join(values)}" for name, values in grouped.items()] + outside)
        return f"{text}, {self.text['stamps'][self.crm]}"

    def summary(self) -> str:
        """Every stage field of the lifecycle, one per object, with its date stamps."""
        flow = [s for s in self.project.flow() if not known.outside_crm(s)]
        names = list(dict.fromkeys(".".join(self.field(s)[:2]) for s in flow))
        stamps = self.text["stamps"][self.crm]
        return "\n".join(names) + f"\n{stamps[:1].upper()}{stamps[1:]}."

    def where(self, report: str) -> str:
        """Where the report is built on the client's platform."""
        return self.text["where"][self.crm][report]

    def reasons(self, stage: Stage) -> tuple[str, ...] | str:
        """The drop-off reasons offered at `stage`: its own; else, when another stage on its object
        lists some, a pointer to that picklist (one per object, as the CRM spec has it); else its
        domain's standard ones."""
        if stage.drop_off_reasons:
            return stage.drop_off_reasons
        same = self._same_object(stage)
        if same:
            return self.text["same_picklist"].replace("{stages}", " and ".join(s.short for s in same[:2]))
        return self.reasons_list(stage)

    def reasons_list(self, stage: Stage) -> tuple[str, ...]:
        """Every value of the drop-off picklist on the stage's object."""
        same = self._same_object(stage) if not stage.drop_off_reasons else [stage]
        if same:
            return tuple(dict.fromkeys(r for s in same for r in s.drop_off_reasons))
        reasons = self.defaults["drop_off_reasons"]
        return tuple(reasons.get(stage.domain, reasons["other"]))

    def _same_object(self, stage: Stage) -> list[Stage]:
        obj = self.field(stage)[0]
        return [s for s in self.project.flow() if self.field(s)[0] == obj and s.drop_off_reasons]

    def object_name(self, obj: str) -> str:
        """An object as the platform spells it."""
        if self.crm in self.defaults["aliases"]:
            return self.defaults["aliases"][self.crm]["objects"].get(obj.casefold(), obj)
        return obj
