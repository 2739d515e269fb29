"""The declaration form of the page (R-GATE-2): the year and the 14 items of checks.ITEMS, in their order.

Two items are one value each: marriage, stored as {"status": …} as the API and the demo write it, and the
salary, in yuan. The other twelve are lists of rows, each row a small form of the item's fields (labelled
by checks.FIELD_LABELS, read back by checks.readable). A list item ticked 无 is declared empty ([]); an
item neither filled nor ticked is left out, and the checks report the declaration incomplete.

Amounts are exact decimals in yuan (thousands separators allowed), kept as strings such as "860000.00"
(JSON has no decimals; checks.amount reads them). The form checks only the shape of what is typed —
amounts and areas are numbers, the year is one the service accepts, 无 is not ticked over filled rows —
and everything else is the checks' to explain, as for the API.

Rows are posted as `<item>-<n>-<field>`. `n` is any number below MAX_INDEX: a row added on the page takes
the next one, so there is no management form to keep in step, and blank rows are simply skipped.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from zhiheng.core import clock

from ..checks import FIELD_LABELS, ITEMS, amount, readable, rows
from ..services.declaring import FIRST_YEAR

# The fields of each list item's rows, in the order of the table's columns.
ROW_FIELDS: dict[str, tuple[str, ...]] = {
    "passports": ("number", "country", "from", "to", "purpose"),
    "hk_macao_taiwan": ("number", "country", "from", "to", "purpose"),
    "children_foreign_marriage": ("relation", "name", "country"),
    "children_hmt_marriage": ("relation", "name", "country"),
    "family_abroad": ("relation", "name", "country", "status", "from"),
    "family_employment": ("relation", "name", "employer", "post"),
    "family_criminal": ("relation", "name", "offence", "year"),
    "labour_income": ("kind", "source", "amount"),
    "real_estate": ("owner", "address", "area", "value"),
    "investments": ("owner", "kind", "name", "value"),
    "businesses": ("owner", "name", "credit_code", "role"),
    "overseas_assets": ("owner", "kind", "country", "value"),
}
SCALARS = ("marriage", "salary")
assert set(ROW_FIELDS) | set(SCALARS) == set(ITEMS), "every item of checks.ITEMS has its place on the form"

MONEY = {"value", "amount"}
# Stored in Chinese whatever the page's language; shown in it.
MARRIAGE = (("未婚", _("未婚")), ("已婚", _("已婚")), ("离异", _("离异")), ("丧偶", _("丧偶")))
BLANK_ROWS = 2  # blank rows under an item nobody has filled yet (one under filled rows)
MAX_ROWS = 100  # filled rows per item
MAX_INDEX = 10_000
# Who the row is about: the same thing under the two names the declarations use (checks.declared_ties).
SYNONYMS = {"owner": "relation", "relation": "owner"}
HINTS = {
    "owner": _("本人、配偶或子女"),
    "relation": _("配偶、儿子、女儿等"),
    "from": _("年-月-日"),
    "to": _("年-月-日"),
    "credit_code": _("18 位"),
    "value": _("元"),
    "amount": _("元"),
    "area": _("平方米"),
}
ROW_NAME = re.compile(r"^(?P<key>[a-z_]+)-(?P<n>\d{1,4})-(?P<field>[a-z_]+)$")


def _decimal_input(attrs: dict[str, Any] | None = None) -> forms.TextInput:
    # A text input, not type=number: a browser empties a number field it cannot read, and what was
    # typed would be lost instead of shown back with its error.
    return forms.TextInput(attrs={"inputmode": "decimal", "class": "num", **(attrs or {})})


class YuanField(forms.DecimalField):
    """An amount in yuan as people write it (1,200,000 or 1200000.5): exact, never a float, not negative."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", _decimal_input())
        super().__init__(min_value=Decimal(0), max_digits=16, decimal_places=2, required=False, **kwargs)

    def clean(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.replace(",", "").replace("，", "").strip()
        return super().clean(value)


def _row_field(name: str) -> forms.Field:
    label = FIELD_LABELS[name]
    attrs: dict[str, Any] = {"aria-label": label}
    if name in HINTS:
        attrs["placeholder"] = HINTS[name]  # lazy: rendered in the page's language
    if name in MONEY:
        return YuanField(label=label, widget=_decimal_input(attrs))
    if name == "area":
        return forms.DecimalField(
            label=label,
            required=False,
            min_value=Decimal("0.01"),
            max_digits=12,
            decimal_places=2,
            widget=_decimal_input(attrs),
        )
    return forms.CharField(label=label, required=False, max_length=200, widget=forms.TextInput(attrs=attrs))


@cache
def row_form(key: str) -> type[forms.Form]:
    """The form of one row of list item `key`."""
    fields = {name: _row_field(name) for name in ROW_FIELDS[key]}
    return type(f"{key.title().replace('_', '')}Row", (forms.Form,), fields)


class HeadForm(forms.Form):
    """The year, the two one-value items and the 无 box of every list item."""

    year = forms.IntegerField(label=_("申报年度"), widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    marriage = forms.ChoiceField(
        label=ITEMS["marriage"], required=False, widget=forms.Select(attrs={"aria-label": ITEMS["marriage"]})
    )
    salary = YuanField(
        label=ITEMS["salary"], widget=_decimal_input({"aria-label": ITEMS["salary"], "placeholder": _("元")})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in ROW_FIELDS:
            self.fields[none_name(key)] = forms.BooleanField(label=_("无"), required=False)
        # A status written otherwise before (through the API) stays choosable, so a draft keeps it.
        status = str((self.data.get("marriage") if self.is_bound else self.initial.get("marriage")) or "")
        choices: list[tuple[str, Any]] = [("", _("（未填写）")), *MARRIAGE]
        if status and status not in dict(MARRIAGE):
            choices.append((status[:50], status[:50]))
        marriage = self.fields["marriage"]
        assert isinstance(marriage, forms.ChoiceField)
        marriage.choices = choices

    def clean_year(self) -> int:
        year = int(self.cleaned_data["year"])
        last = clock.today().year
        if not FIRST_YEAR <= year <= last:
            raise forms.ValidationError(
                _("申报年度须为 %(first)d–%(last)d") % {"first": FIRST_YEAR, "last": last}, code="year"
            )
        return year


def none_name(key: str) -> str:
    return f"{key}-none"


@dataclass
class Section:
    """One item as the page shows it: a single field, or a table of rows with its 无 box."""

    key: str
    label: str
    number: int
    field: forms.BoundField | None = None
    none: forms.BoundField | None = None
    headers: list[str] = dataclasses.field(default_factory=list)
    rows: list[forms.Form] = dataclasses.field(default_factory=list)
    errors: list[str] = dataclasses.field(default_factory=list)
    next_row: int = 0

    @property
    def invalid(self) -> bool:
        if self.errors or (self.field is not None and self.field.errors):
            return True
        return any(r.errors for r in self.rows)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _start_rows(key: str, value: Any) -> tuple[list[dict[str, str]], list[str]]:
    """A draft's rows of `key` as the table's initial values, and what of them has no column here."""
    names = ROW_FIELDS[key]
    out: list[dict[str, str]] = []
    dropped: list[str] = []
    if isinstance(value, list):
        dropped += [f"{ITEMS[key]}：{row}" for row in value if not isinstance(row, Mapping)]
    for row in rows({key: value}, key):
        initial: dict[str, str] = {}
        for name, raw in row.items():
            column = name if name in names else SYNONYMS.get(str(name))
            if column in names and not initial.get(column):
                initial[column] = _text(raw)
            elif raw not in (None, ""):
                dropped.append(f"{ITEMS[key]}：{FIELD_LABELS.get(str(name), str(name))}：{raw}")
        if any(v.strip() for v in initial.values()):
            out.append(initial)
    if value not in (None, "", []) and not isinstance(value, (Mapping, list)):
        dropped.append(f"{ITEMS[key]}：{value}")
    return out, dropped


def _start_salary(value: Any) -> str:
    if isinstance(value, (Mapping, list)):
        found = [amount(r.get("amount", r.get("value"))) for r in rows({"salary": value}, "salary")]
        total = sum((a for a in found if a is not None), Decimal(0))
        return str(total) if found else ""
    return _text(value)


def _start_marriage(value: Any) -> str:
    if isinstance(value, Mapping):
        return _text(value.get("status", ""))
    return "；".join(readable(value))


class DeclarationForm:
    """The whole form: `head` (year, marriage, salary, the 无 boxes) and each list item's row forms.

    Unbound, it starts from `year` and, when given, a draft's items (a declaration the person opened to
    start from); bound, it is what was posted, every row kept, blank ones too, as it was typed."""

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        year: int | None = None,
        start: Mapping[str, Any] | None = None,
    ) -> None:
        self.rows: dict[str, list[forms.Form]] = {}
        self.section_errors: dict[str, list[str]] = {key: [] for key in ROW_FIELDS}
        self.dropped: list[str] = []  # what a draft held that the form has no place for
        if data is not None:
            self.head = HeadForm(data)
            indices = posted_rows(data)
            for key in ROW_FIELDS:
                self.rows[key] = [row_form(key)(data, prefix=f"{key}-{n}") for n in indices.get(key, [])]
            return
        start = start or {}
        initial: dict[str, Any] = {"year": year or clock.today().year}
        if "marriage" in start:
            initial["marriage"] = _start_marriage(start["marriage"])
        if "salary" in start:
            initial["salary"] = _start_salary(start["salary"])
        for key in ROW_FIELDS:
            rows_, dropped = _start_rows(key, start.get(key))
            self.dropped += dropped
            initial[none_name(key)] = start.get(key) == []
            blanks = 1 if rows_ else BLANK_ROWS
            self.rows[key] = [
                row_form(key)(prefix=f"{key}-{n}", initial=r) for n, r in enumerate([*rows_, *({},) * blanks])
            ]
        self.head = HeadForm(initial=initial)

    # ---- what the page shows

    def add_row(self, key: str) -> None:
        """One more blank row under `key` (the 增加一行 button without script)."""
        if key in self.rows and len(self.rows[key]) < MAX_ROWS:
            self.rows[key].append(row_form(key)(prefix=f"{key}-{next_index(self.rows[key])}"))

    def sections(self) -> Iterator[Section]:
        for number, (key, label) in enumerate(ITEMS.items(), start=1):
            if key in SCALARS:
                yield Section(key, label, number, field=self.head[key])
                continue
            yield Section(
                key,
                label,
                number,
                none=self.head[none_name(key)],
                headers=[FIELD_LABELS[name] for name in ROW_FIELDS[key]],
                rows=self.rows[key],
                errors=self.section_errors[key],
                next_row=next_index(self.rows[key]),
            )

    @property
    def year(self) -> forms.BoundField:
        return self.head["year"]

    def error_count(self) -> int:
        count = len(self.head.errors) + sum(len(e) for e in self.section_errors.values())
        return count + sum(len(r.errors) for rows_ in self.rows.values() for r in rows_ if r.is_bound)

    # ---- what is filed

    def is_valid(self) -> bool:
        valid = self.head.is_valid()
        for key, forms_ in self.rows.items():
            filled = [r for r in forms_ if not blank(r)]
            valid = all([r.is_valid() for r in filled]) and valid
            if len(filled) > MAX_ROWS:
                self.section_errors[key].append(str(_("每项最多填写 %(n)d 行") % {"n": MAX_ROWS}))
            # the head's valid fields are cleaned even when another of them (the year) is not
            if filled and self.head.cleaned_data.get(none_name(key)):
                self.section_errors[key].append(
                    str(_("已勾选“无”，却又填写了内容：请清空各行，或取消勾选“无”"))
                )
            valid = valid and not self.section_errors[key]
        return valid

    def items(self) -> dict[str, Any]:
        """The declaration's items, after is_valid(): what was filled or ticked 无, nothing else."""
        data = self.head.cleaned_data
        items: dict[str, Any] = {}
        if data.get("marriage"):
            items["marriage"] = {"status": data["marriage"]}
        if data.get("salary") is not None:
            items["salary"] = yuan(data["salary"])
        for key, forms_ in self.rows.items():
            filled = [_row_value(r) for r in forms_ if not blank(r)]
            filled = [r for r in filled if r]
            if filled:
                items[key] = filled
            elif data.get(none_name(key)):
                items[key] = []
        return items


def yuan(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def _row_value(form: forms.Form) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in form.cleaned_data.items():
        if value is None or value == "":
            continue
        out[name] = yuan(value) if name in MONEY else str(value).strip()
    return out


def blank(form: forms.Form) -> bool:
    """Whether a posted row holds nothing but spaces (such rows are offered, not declared)."""
    return not any(_text(form.data.get(form.add_prefix(name))).strip() for name in form.fields)


def posted_rows(data: QueryDict) -> dict[str, list[int]]:
    """Each list item's row numbers in the posted data, in order."""
    found: dict[str, set[int]] = {}
    for name in data:
        match = ROW_NAME.match(name)
        if match and match["field"] in ROW_FIELDS.get(match["key"], ()) and int(match["n"]) < MAX_INDEX:
            found.setdefault(match["key"], set()).add(int(match["n"]))
    return {key: sorted(ns) for key, ns in found.items()}


def next_index(forms_: list[forms.Form]) -> int:
    """The number the next row of a table takes: one past the highest posted or shown."""
    numbers = [int(str(f.prefix).rsplit("-", 1)[1]) for f in forms_]
    return max(numbers, default=-1) + 1
