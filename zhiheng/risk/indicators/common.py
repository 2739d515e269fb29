"""The plain values the red flags judge, what they find, and the thresholds they use."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

HIGH, MEDIUM, LOW = "high", "medium", "low"

# The matter kinds that spend money against a collective threshold (R-MAT-3) and a budget line (R-MAT-5).
SPENDING_KINDS = frozenset({"expenditure", "purchase"})
# States in which a matter's money is committed (it was decided and not undone).
SPENT_STATES = frozenset({"awaiting_cosign", "approved", "executed"})
DECIDED_STATES = SPENT_STATES | {"rejected"}


@dataclass(frozen=True)
class Finding:
    """One red flag found in one unit. `key` identifies the finding inside (rule, unit) — the same
    history gives the same key on every path — and `source` is what `raise_warning` keys it by."""

    rule: str
    unit: str
    key: str
    subject: str
    level: str
    explanation: str
    records: tuple[dict[str, Any], ...] = ()

    @property
    def source(self) -> str:
        return f"scan:{self.rule.lower()}:{self.unit}:{self.key}"


@dataclass(frozen=True)
class MatterFact:
    """A matter as the red flags see it (R-MAT-1). Times are aware datetimes; `deputy` and the people are
    usernames; `budget_line` a line code or ""; `decision_ref` "meeting:<m>/item:<i>" when a meeting
    decided it."""

    id: int
    unit: str
    kind: str
    title: str
    amount: Decimal | None
    counterparty: str
    submitted_at: dt.datetime
    state: str = "submitted"
    deputy: str = ""
    decided_at: dt.datetime | None = None
    decided_by: str = ""
    budget_line: str = ""
    requires_collective: bool = False
    decision_ref: str = ""

    @property
    def order(self) -> tuple[dt.datetime, int]:
        return (self.submitted_at, self.id)

    def record(self, **extra: Any) -> dict[str, Any]:
        """The matter as a warning's triggering record (JSON)."""
        return {
            "matter": self.id,
            "title": self.title,
            "amount": None if self.amount is None else f"{self.amount:.2f}",
            "counterparty": self.counterparty,
            "at": self.submitted_at.isoformat(),
            **extra,
        }


@dataclass(frozen=True)
class WaitFact:
    """One matter waiting for one signer (RF7): the deciding deputy from submission, or a co-signer from
    the decision; `ended` is None while the signature is still missing."""

    matter: int
    unit: str
    signer: str
    step: str  # "decide" | "cosign"
    started: dt.datetime
    ended: dt.datetime | None
    title: str = ""
    signer_name: str = ""  # for people: the explanation names them, the key keeps the username


@dataclass(frozen=True)
class ItemFact:
    """A sealed agenda item (R-MTG-2/6): its decision, how many eligible members (team minus recused)
    and how many of them were present, and the quorum that applied (share, strict)."""

    meeting: int
    item: int
    unit: str
    title: str
    decision: str
    eligible: int
    present: int
    personnel: bool
    quorum: tuple[int, int, bool] = (1, 2, True)  # (numerator, denominator, strict "more than")


@dataclass(frozen=True)
class MeetingSealFact:
    """A sealed meeting and the problems found when its minutes are re-derived from the rows and compared
    with the ledger (meetings.minutes; R-MTG-7, R-LED-4). No problems: it verifies."""

    meeting: int
    unit: str
    title: str
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanFact:
    """A filed division plan (R-DIV-4/5): its assignments as (power code, category code, deputy)."""

    unit: str
    version: int
    in_force_from: dt.date
    assignments: tuple[tuple[str, str, str], ...]
    filed_on: dt.date | None = None


@dataclass(frozen=True)
class Thresholds:
    """A unit's red-flag thresholds (the "risk" parameter set) and the matter thresholds they test."""

    collective_threshold: Decimal = Decimal("50000")
    cosign_threshold: Decimal = Decimal("200000")
    rf2_window_days: int = 30
    rf2_title_similarity: float = 0.8
    rf4_share: float = 0.5
    rf4_min_matters: int = 5
    rf4_min_total: Decimal = Decimal("100000")
    rf6_grace_days: int = 0
    rf7_factor: float = 3.0
    rf7_min_samples: int = 10
    rf7_min_days: float = 3.0
    rf9_band: float = 0.9
    rf9_alpha: float = 0.01
    rf9_min_n: int = 10
    rf10_min_n: int = 300
    rf10_mad: float = 0.015
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


_BATCH = re.compile(r"[（(][^）)]*[）)]|第[0-9一二三四五六七八九十百]+[批期次]|[0-9]+")
_NOISE = re.compile(r"[\W_]+")


@lru_cache(maxsize=1 << 16)
def normalise_title(title: str) -> str:
    """A title reduced to its purpose: NFKC, lower case, without bracketed notes, batch numbers
    (第二批), digits, punctuation and blanks — "办公桌椅（第2批）" and "办公桌椅 3" are one purpose."""
    text = unicodedata.normalize("NFKC", title).casefold()
    return _NOISE.sub("", _BATCH.sub("", text))


@lru_cache(maxsize=1 << 16)
def normalise_party(name: str) -> str:
    """A counterparty's name for grouping: NFKC, lower case, without blanks and punctuation."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", name).casefold())


def median(values: list[float]) -> float:
    ordered = sorted(values)
    n = len(ordered)
    mid = n // 2
    return ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def yuan(amount: Decimal) -> str:
    return f"¥{amount:,.2f}"
