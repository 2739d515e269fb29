"""The registry of parameter sets (参数). Pure Python: no ORM, no queries.

A parameter set is one app's configurable rules — the numbers and lists SPEC marks *configurable* per
district or per unit (R-MAT-3/4/7 thresholds, R-MTG-2/3 quorum and blind mode; later reporting deadlines,
red-flag thresholds, exam pass marks). The owning app declares it in its `parameters.py` with `register`;
`ParametersConfig.ready()` imports every app's `parameters.py`. Values are stored as JSON ("stored form":
money as decimal strings, people as ids); a field that is None or absent inherits from the scope above:
unit → district default → the SPEC default declared here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from zhiheng.org.models import District, Unit

DISTRICT, UNIT, DEFAULT = "district", "unit", "default"
# Where a value in force comes from, as every page shows it.
SOURCE_LABELS = {UNIT: _("本单位"), DISTRICT: _("区默认"), DEFAULT: _("制度默认")}


@dataclass(frozen=True)
class Context:
    """What a set's `clean` may look at: the scope being set and the values in force there today (the
    start of a change that merges over them)."""

    district: District
    unit: Unit | None
    current: Mapping[str, Any]

    @property
    def scope(self) -> str:
        return UNIT if self.unit is not None else DISTRICT


Clean = Callable[[Mapping[str, Any], Context], dict[str, Any]]


@dataclass(frozen=True)
class ParameterSet:
    """One app's configurable rules.

    `clean(values, context)` checks a proposed change and returns the scope's new values in stored form
    (None for a field that inherits), or raises `core.errors.Invalid` with the set's rule id and every
    field error; it writes nothing. `rule` and `action` make the refusal for anyone but the district's
    commission admins ("只有本区纪委管理员可以{action}", 403 `rule`). Each change is one ledger entry
    `event` about `{subject}:district:{code}` or `{subject}:unit:{code}`; `snapshot` turns stored values
    into what that entry shows as before/after (default: as stored)."""

    namespace: str
    title: Any  # str or a lazy translation
    rule: str
    action: str
    event: str
    subject: str
    labels: Mapping[str, Any]
    defaults: Mapping[str, Any]
    clean: Clean
    snapshot: Callable[[Mapping[str, Any] | None], Any] = field(default=lambda values: values)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.labels)


_registry: dict[str, ParameterSet] = {}


def register(pset: ParameterSet) -> ParameterSet:
    """Declare a parameter set; a namespace belongs to one set."""
    existing = _registry.get(pset.namespace)
    if existing is not None and existing != pset:
        raise ValueError(f"parameter set {pset.namespace!r} registered twice")
    missing = set(pset.defaults) - set(pset.labels)
    if missing:
        raise ValueError(f"parameter set {pset.namespace!r}: defaults without a label: {sorted(missing)}")
    _registry[pset.namespace] = pset
    return pset


def get(namespace: str) -> ParameterSet:
    try:
        return _registry[namespace]
    except KeyError:
        raise LookupError(f"unregistered parameter set {namespace!r}") from None


def all_sets() -> list[ParameterSet]:
    return sorted(_registry.values(), key=lambda s: s.namespace)
