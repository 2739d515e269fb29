"""廉政档案 The integrity archive of an official (R-GATE-3), as pure calculations: the categories, and the rows of a
person's timeline made from records already read (no query here; services/archive.py reads and logs).

The seed: "建立一把手电子廉政档案，及时全面收录、更新家庭成员、家庭财产、信访举报、违纪处理等7大类25小类廉政信息，
及时对拟任人选提出廉政意见。" The categories are a district's list (ArchiveScheme: versions appended, the latest
in force), DEFAULT_SCHEME until its commission sets one. A list is written one line an item (SCHEME_HELP):
"类别代码 类别名称" or "类别代码/子类代码 子类名称"; codes are ASCII, names Chinese.

Where a person's timeline comes from, assembled on every read (nothing is copied into the archive):
- their declarations (R-GATE-2), the latest version of each year, opened: family items → 家庭成员, income,
  assets and businesses → 家庭财产 (counts and totals, not addresses or names), their travel documents →
  基本情况, and the declaration itself (year, version, risk score, checks) → 廉政考试与申报;
- their exam sittings (R-GATE-1) and the commission's opinions (R-GATE-4, the status only) → 廉政考试与申报;
- inspection findings about them (zhiheng.inspections.selectors.findings_about) → 监督检查;
- ArchiveEntry rows, written by the commission's staff by hand or pushed by later capabilities (the
  reporting channel's complaints, departure audits) through `services.add_archive_entry`.

The pairs the timeline fills from those records (SOURCE_PAIRS) cannot be dropped from a district's list (their
names may change); nor can a pair an ArchiveEntry of the district's people uses (services.set_archive_scheme,
409 R-GATE-3). A row whose codes the list in force no longer has reads "（已停用）<code>".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiheng.core.money import format_yuan
from zhiheng.inspections.states import FindingState, Severity

from .checks import CHECKS, SELF, amount, income, readable, rows
from .errors import BadArchiveScheme
from .states import ExamStatus, OpinionStatus

# (code, name, [(code, name), ...]) — 7 categories, 25 subcategories.
DEFAULT_CATEGORIES: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    # The official themself: the seed's "一把手电子廉政档案" is a file per person; 述责述廉 is the yearly
    # report on their duty for integrity, and the travel documents are two of the 14 declared items.
    (
        "basic",
        "基本情况",
        (
            ("profile", "个人基本信息"),
            ("posts", "任职履历"),
            ("travel", "因私出国（境）证件及出行"),
            ("duty", "述责述廉"),
        ),
    ),
    # The seed's 家庭成员: the eight family items of the declaration (领导干部报告个人有关事项规定).
    (
        "family",
        "家庭成员",
        (
            ("marriage", "婚姻状况"),
            ("employment", "配偶、子女及其配偶从业"),
            ("abroad", "配偶、子女移居国（境）外及涉外通婚"),
            ("criminal", "配偶、子女及其配偶被追究刑事责任"),
        ),
    ),
    # The seed's 家庭财产: the six income and asset items of the declaration.
    (
        "assets",
        "家庭财产",
        (
            ("income", "工资及劳务所得"),
            ("real_estate", "房产"),
            ("investments", "股票、基金、投资型保险"),
            ("business", "经商办企业"),
            ("overseas", "国（境）外存款和投资"),
        ),
    ),
    # R-GATE-1/2/4: the check-up before appointment — the seed's "及时对拟任人选提出廉政意见".
    (
        "checkup",
        "廉政考试与申报",
        (
            ("exam", "任前廉政考试"),
            ("declaration", "个人有关事项申报"),
            ("opinion", "廉政意见"),
        ),
    ),
    # The seed's 信访举报: complaints received, and how the check of each ended (属实, or 查无实据 and 澄清).
    (
        "reports",
        "信访举报",
        (
            ("received", "信访举报受理"),
            ("substantiated", "核查属实"),
            ("unsubstantiated", "查无实据及澄清正名"),
        ),
    ),
    # SPEC R-SUP-2 (督察检查), R-GATE-5 (集中巡察) and the departure audit (离任审计) about the person.
    (
        "supervision",
        "监督检查",
        (
            ("inspection", "督察检查发现"),
            ("tour", "巡察发现"),
            ("audit", "审计及离任审计"),
        ),
    ),
    # The seed's 违纪处理, by the 监督执纪“四种形态”: talks and letters (the first), organisational measures,
    # and Party or government sanctions.
    (
        "discipline",
        "违纪处理",
        (
            ("talk", "谈话提醒、批评教育及函询"),
            ("organisational", "组织处理（诫勉、调整职务等）"),
            ("sanction", "党纪政务处分"),
        ),
    ),
)

# The pairs the timeline fills from the check-up's and the inspections' own records.
SOURCE_PAIRS: frozenset[tuple[str, str]] = frozenset(
    {
        ("basic", "travel"),
        ("family", "marriage"),
        ("family", "employment"),
        ("family", "abroad"),
        ("family", "criminal"),
        ("assets", "income"),
        ("assets", "real_estate"),
        ("assets", "investments"),
        ("assets", "business"),
        ("assets", "overseas"),
        ("checkup", "exam"),
        ("checkup", "declaration"),
        ("checkup", "opinion"),
        ("supervision", "inspection"),
    }
)

CODE = re.compile(r"[a-z][a-z0-9_-]{0,31}", re.ASCII)
NAME_MAX = 40
MAX_CATEGORIES = 30
MAX_SUBCATEGORIES = 200
RETIRED = "（已停用）"
SINCE = dt.date(1990, 1, 1)  # inspection findings about the person from this day on: all of them


# ------------------------------------------------------------------------------------------- the scheme


@dataclass(frozen=True)
class Subcategory:
    code: str
    name: str


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    subcategories: tuple[Subcategory, ...]


@dataclass(frozen=True)
class Scheme:
    """A list of categories, each with its subcategories, in the order shown."""

    categories: tuple[Category, ...]

    @classmethod
    def from_data(cls, data: Iterable[Mapping[str, Any]]) -> Scheme:
        """From the stored JSON (trusted: validated when it was set)."""
        return cls(
            tuple(
                Category(
                    str(c["code"]),
                    str(c["name"]),
                    tuple(Subcategory(str(s["code"]), str(s["name"])) for s in c["subcategories"]),
                )
                for c in data
            )
        )

    def as_data(self) -> list[dict[str, Any]]:
        return [
            {
                "code": c.code,
                "name": c.name,
                "subcategories": [{"code": s.code, "name": s.name} for s in c.subcategories],
            }
            for c in self.categories
        ]

    def digest(self) -> str:
        """SHA-256 of the list's canonical JSON (the ledger entry of a new version carries it)."""
        text = json.dumps(self.as_data(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    def pairs(self) -> set[tuple[str, str]]:
        return {(c.code, s.code) for c in self.categories for s in c.subcategories}

    def category(self, code: str) -> Category | None:
        return next((c for c in self.categories if c.code == code), None)

    def has(self, category: str, subcategory: str | None = None) -> bool:
        found = self.category(category)
        if found is None:
            return False
        return subcategory is None or any(s.code == subcategory for s in found.subcategories)

    def category_name(self, code: str) -> str:
        found = self.category(code)
        return found.name if found is not None else RETIRED + code

    def subcategory_name(self, category: str, code: str) -> str:
        found = self.category(category)
        sub = next((s for s in found.subcategories if s.code == code), None) if found else None
        return sub.name if sub is not None else RETIRED + code

    def pair_name(self, category: str, subcategory: str | None = None) -> str:
        if subcategory is None:
            return self.category_name(category)
        return f"{self.category_name(category)} · {self.subcategory_name(category, subcategory)}"

    def subcategory_count(self) -> int:
        return sum(len(c.subcategories) for c in self.categories)

    def as_text(self) -> str:
        """The list as the scheme page's textarea holds it (parse_text reads it back)."""
        lines: list[str] = []
        for c in self.categories:
            lines.append(f"{c.code} {c.name}")
            lines += [f"{c.code}/{s.code} {s.name}" for s in c.subcategories]
        return "\n".join(lines)


DEFAULT_SCHEME = Scheme(
    tuple(
        Category(code, name, tuple(Subcategory(s, n) for s, n in subs))
        for code, name, subs in DEFAULT_CATEGORIES
    )
)

SCHEME_HELP = gettext_lazy(
    "每行一项：“类别代码 类别名称”，或“类别代码/子类代码 子类名称”；代码用小写英文字母、数字、_ 或 -。"
)


@dataclass
class _Item:
    """One category or subcategory as written, with where it was written (a line, or a JSON path)."""

    at: int | str
    category: str
    subcategory: str | None
    name: str
    at_code: int | str = ""
    at_name: int | str = ""


def _check(items: Sequence[_Item]) -> tuple[Scheme, list[tuple[int | str, str]]]:
    """The scheme the items describe, and every error with where it is."""
    errors: list[tuple[int | str, str]] = []
    categories: dict[str, tuple[_Item, list[_Item]]] = {}
    bad: set[str] = set()  # categories already named wrong: their subcategories are not blamed again
    for item in items:
        code = item.subcategory if item.subcategory is not None else item.category
        if item.category in bad:
            continue
        if not CODE.fullmatch(item.category) or not CODE.fullmatch(code or ""):
            message = _(
                "代码“%(code)s”无效：须以小写英文字母开头，由小写英文字母、数字、_ 或 - 组成，至多 32 个字符"
            )
            errors.append((item.at_code or item.at, message % {"code": code}))
            if item.subcategory is None:
                bad.add(item.category)
            continue
        if not item.name:
            errors.append((item.at_name or item.at, _("“%(code)s”缺少名称") % {"code": code}))
        elif len(item.name) > NAME_MAX:
            errors.append((item.at_name or item.at, _("名称至多 %(n)d 个字") % {"n": NAME_MAX}))
        names = {"code": code, "cat": item.category}
        parent = categories.get(item.category)
        if item.subcategory is None and parent is not None:
            errors.append((item.at, _("类别代码“%(code)s”重复") % names))
        elif item.subcategory is None:
            categories[item.category] = (item, [])
        elif parent is None:
            errors.append((item.at, _("子类“%(code)s”所属的类别“%(cat)s”须先写在前面") % names))
        elif any(s.subcategory == item.subcategory for s in parent[1]):
            errors.append((item.at, _("类别“%(cat)s”下的子类代码“%(code)s”重复") % names))
        else:
            parent[1].append(item)
    first: int | str = items[0].at if items else 1
    if not categories and not errors:
        errors.append((first, _("至少要有一个类别")))
    for head, subs in categories.values():
        if not subs:
            errors.append(
                (head.at, _("类别“%(name)s”至少要有一个子类") % {"name": head.name or head.category})
            )
    if len(categories) > MAX_CATEGORIES:
        errors.append((first, _("类别至多 %(n)d 个") % {"n": MAX_CATEGORIES}))
    if sum(len(subs) for _head, subs in categories.values()) > MAX_SUBCATEGORIES:
        errors.append((first, _("子类至多 %(n)d 个") % {"n": MAX_SUBCATEGORIES}))
    scheme = Scheme(
        tuple(
            Category(head.category, head.name, tuple(Subcategory(s.subcategory or "", s.name) for s in subs))
            for head, subs in categories.values()
        )
    )
    return scheme, errors


def _line_order(errors: list[tuple[int | str, str]]) -> list[tuple[int | str, str]]:
    return sorted(errors, key=lambda e: e[0] if isinstance(e[0], int) else 0)


def parse_text(text: str) -> Scheme:
    """The scheme page's textarea: one item a line (SCHEME_HELP); blank lines and lines starting with # are
    skipped. BadArchiveScheme lists every wrong line: detail.lines = [{"line", "message"}]."""
    items: list[_Item] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.replace("\u3000", " ").replace("／", "/").strip()
        if not line or line.startswith("#"):
            continue
        code, _sep, name = line.partition(" ")
        category, slash, sub = code.partition("/")
        items.append(_Item(number, category.strip(), sub.strip() if slash else None, name.strip()))
    scheme, errors = _check(items)
    if errors:
        raise BadArchiveScheme(
            detail={"lines": [{"line": at, "message": message} for at, message in _line_order(errors)]}
        )
    return scheme


def parse_data(data: Sequence[Mapping[str, Any]]) -> Scheme:
    """The API's JSON: [{"code", "name", "subcategories": [{"code", "name"}]}]. BadArchiveScheme names every
    wrong field: detail.fields = {"categories[0].subcategories[1].code": [message]}."""
    items: list[_Item] = []
    for i, c in enumerate(data):
        at = f"categories[{i}]"
        category = str(c.get("code", "")).strip()
        items.append(_Item(at, category, None, str(c.get("name", "")).strip(), f"{at}.code", f"{at}.name"))
        for j, s in enumerate(c.get("subcategories") or []):
            sub_at = f"{at}.subcategories[{j}]"
            items.append(
                _Item(
                    sub_at,
                    category,
                    str(s.get("code", "")).strip(),
                    str(s.get("name", "")).strip(),
                    f"{sub_at}.code",
                    f"{sub_at}.name",
                )
            )
    scheme, errors = _check(items)
    if errors:
        fields: dict[str, list[str]] = {}
        for where, message in errors:
            fields.setdefault(str(where), []).append(message)
        raise BadArchiveScheme(detail={"fields": fields})
    return scheme


def removed(old: Scheme, new: Scheme) -> list[tuple[str, str | None]]:
    """What `new` drops of `old`: (category, None) for a whole category, (category, subcategory) for a
    subcategory of a category it keeps."""
    out: list[tuple[str, str | None]] = []
    for c in old.categories:
        if not new.has(c.code):
            out.append((c.code, None))
            continue
        out += [(c.code, s.code) for s in c.subcategories if not new.has(c.code, s.code)]
    return out


def in_use(
    dropped: Iterable[tuple[str, str | None]], used: Iterable[tuple[str, str]]
) -> list[tuple[str, str | None]]:
    """The dropped categories and subcategories that `used` pairs (and the sources, SOURCE_PAIRS) still use."""
    pairs = set(used) | SOURCE_PAIRS
    return [
        (c, s)
        for c, s in dropped
        if (s is None and any(pc == c for pc, _ps in pairs)) or (s is not None and (c, s) in pairs)
    ]


# ------------------------------------------------------------------------------------------- the timeline


@dataclass(frozen=True)
class Row:
    """One line of the timeline: when, where it is filed, what, and the record it comes from."""

    on: dt.date
    category: str
    subcategory: str
    title: str
    detail: str
    source: str  # declaration:12, exam:3, opinion:4, finding:7, archive:9
    origin: str = ""  # an entry pushed by another capability: its record (audit:3)
    rank: int = 0  # among rows of one day and source kind, the order they are shown in


@dataclass(frozen=True)
class Shown(Row):
    category_name: str = ""
    subcategory_name: str = ""


@dataclass
class Archive:
    """A person's timeline, newest first, named by the list in force, with the count of each category."""

    scheme: Scheme
    rows: list[Shown]
    counts: list[tuple[str, str, int]] = field(default_factory=list)  # (code, name, rows) in list order

    def of(self, category: str | None) -> list[Shown]:
        return [r for r in self.rows if r.category == category] if category else self.rows


KIND_ORDER = {"archive": 0, "finding": 1, "opinion": 2, "exam": 3, "declaration": 4}


def assemble(scheme: Scheme, found: Iterable[Row]) -> Archive:
    """Name the rows by the list in force, newest first, and count them per category."""
    ordered = sorted(
        found,
        key=lambda r: (r.on, -KIND_ORDER.get(r.source.partition(":")[0], 9), _pk(r.source), -r.rank),
        reverse=True,
    )
    shown = [
        Shown(
            **{name: getattr(r, name) for name in Row.__dataclass_fields__},
            category_name=scheme.category_name(r.category),
            subcategory_name=scheme.subcategory_name(r.category, r.subcategory),
        )
        for r in ordered
    ]
    tally: dict[str, int] = {c.code: 0 for c in scheme.categories}
    for r in shown:
        tally[r.category] = tally.get(r.category, 0) + 1
    counts = [(code, scheme.category_name(code), n) for code, n in tally.items()]
    return Archive(scheme, shown, counts)


def _pk(source: str) -> int:
    rest = source.partition(":")[2]
    return int(rest) if rest.isdigit() else 0


def _money(total: Decimal) -> str:
    return format_yuan(total)


def _relations(found: Sequence[Mapping[str, Any]]) -> str:
    names = [str(r.get("relation") or r.get("owner") or "").strip() for r in found]
    return "、".join(n for n in names if n) or "—"


def _total(found: Sequence[Mapping[str, Any]], *keys: str) -> Decimal:
    total = Decimal(0)
    for r in found:
        value = next((r[k] for k in keys if k in r), None)
        total += amount(value) or 0
    return total


def declaration_rows(
    items: Mapping[str, Any],
    *,
    source: str,
    on: dt.date,
    year: int,
    version: int,
    risk_score: int,
    check_codes: Sequence[str],
) -> list[Row]:
    """One declaration (its items opened) as rows: one per family or asset item declared with something in
    it — counts, relations and totals, not names or addresses, which stay on the declaration's own page —
    and one for the declaration itself."""
    head = _("%(year)d 年度申报") % {"year": year}
    out: list[Row] = []

    def add(category: str, subcategory: str, title: str, detail: str = "") -> None:
        out.append(Row(on, category, subcategory, f"{head}：{title}", detail, source, rank=len(out)))

    documents = rows(items, "passports") + rows(items, "hk_macao_taiwan")
    if documents:
        add("basic", "travel", _("因私出国（境）证件及出行 %(n)d 项") % {"n": len(documents)})
    marriage = readable(items.get("marriage"))
    if marriage:
        add("family", "marriage", _("婚姻状况"), "；".join(marriage))
    employed = [
        r
        for r in rows(items, "family_employment")
        if str(r.get("relation", r.get("owner", ""))).strip() not in SELF
    ]
    if employed:
        add(
            "family",
            "employment",
            _("配偶、子女及其配偶从业 %(n)d 人") % {"n": len(employed)},
            _relations(employed),
        )
    abroad = (
        rows(items, "family_abroad")
        + rows(items, "children_foreign_marriage")
        + rows(items, "children_hmt_marriage")
    )
    if abroad:
        add(
            "family",
            "abroad",
            _("移居国（境）外或涉外通婚 %(n)d 人") % {"n": len(abroad)},
            _relations(abroad),
        )
    criminal = rows(items, "family_criminal")
    if criminal:
        add(
            "family",
            "criminal",
            _("亲属被追究刑事责任 %(n)d 人") % {"n": len(criminal)},
            _relations(criminal),
        )
    if "salary" in items or "labour_income" in items:
        add(
            "assets",
            "income",
            _("年收入合计 %(total)s") % {"total": _money(income(items))},
            _("工资及奖金、津贴、补贴 %(salary)s；劳务所得 %(labour)s")
            % {
                "salary": _money(income({"salary": items.get("salary")})),
                "labour": _money(income({"labour_income": items.get("labour_income")})),
            },
        )
    estates = rows(items, "real_estate")
    if estates:
        area = _total(estates, "area")
        add(
            "assets",
            "real_estate",
            _("房产 %(n)d 处，价值合计 %(total)s")
            % {"n": len(estates), "total": _money(_total(estates, "value", "amount"))},
            _("建筑面积合计 %(area)s 平方米；所有人：%(owners)s")
            % {"area": f"{area:,.2f}", "owners": _relations(estates)},
        )
    for key, subcategory, text in (
        ("investments", "investments", _("股票、基金、投资型保险等 %(n)d 项，合计 %(total)s")),
        ("overseas_assets", "overseas", _("国（境）外存款和投资 %(n)d 项，合计 %(total)s")),
    ):
        found = rows(items, key)
        if found:
            add(
                "assets",
                subcategory,
                text % {"n": len(found), "total": _money(_total(found, "value", "amount"))},
                _("持有人：%(owners)s") % {"owners": _relations(found)},
            )
    businesses = rows(items, "businesses")
    if businesses:
        add(
            "assets",
            "business",
            _("经商办企业 %(n)d 户") % {"n": len(businesses)},
            _("经营者：%(owners)s") % {"owners": _relations(businesses)},
        )
    checks = "、".join(CHECKS.get(code, code) for code in check_codes) or _("未发现问题")
    out.append(
        Row(
            on,
            "checkup",
            "declaration",
            _("%(year)d 年度廉情申报（第%(v)d版）") % {"year": year, "v": version},
            _("风险分 %(score)d；自动核查：%(checks)s") % {"score": risk_score, "checks": checks},
            source,
            rank=len(out),
        )
    )
    return out


def exam_row(
    *, source: str, on: dt.date, attempt: int, score: Decimal, pass_mark: Decimal, disqualified: bool
) -> Row:
    passed = score >= pass_mark
    which = _("首考") if attempt == 1 else _("补考")
    result = _("合格") if passed else _("不合格")
    detail = _("合格分 %(mark)s") % {"mark": f"{pass_mark.normalize():f}"}
    if disqualified:
        detail += "；" + str(ExamStatus.DISQUALIFIED.label)
    title = _("任前廉政考试（%(which)s）：%(score)s 分，%(result)s") % {
        "which": which,
        "score": f"{score.normalize():f}",
        "result": result,
    }
    return Row(on, "checkup", "exam", title, detail, source)


def opinion_row(*, source: str, on: dt.date, status: str) -> Row:
    label = OpinionStatus(status).label if status in OpinionStatus.values else status
    return Row(
        on,
        "checkup",
        "opinion",
        _("廉政意见：%(status)s") % {"status": label},
        _("意见理由加密保存，不在档案中展开"),
        source,
    )


def finding_row(
    *,
    source: str,
    on: dt.date,
    title: str,
    unit: str,
    severity: str,
    state: str,
    deadline: dt.date,
    concerned: bool,
) -> Row:
    severity_label = Severity(severity).label if severity in Severity.values else severity
    state_label = FindingState(state).label if state in FindingState.values else state
    role = _("涉及本人") if concerned else _("本人为整改责任人")
    detail = _("%(unit)s · %(severity)s · %(state)s · 整改期限 %(deadline)s · %(role)s") % {
        "unit": unit,
        "severity": severity_label,
        "state": state_label,
        "deadline": deadline.isoformat(),
        "role": role,
    }
    return Row(on, "supervision", "inspection", title, detail, source)


def entry_row(
    *, source: str, on: dt.date, category: str, subcategory: str, content: Mapping[str, Any], origin: str
) -> Row:
    return Row(
        on, category, subcategory, str(content.get("title", "")), str(content.get("body", "")), source, origin
    )
