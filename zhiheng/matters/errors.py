"""The refusals the matters engine raises again and again, each with the SPEC rule it enforces.

Raise them as `NotInCharge("…", {"matter": pk})`: the rule id comes with the class. The API maps them
like any DomainError (status from Forbidden/Conflict); pages show the rule id with the message.
"""

from __future__ import annotations

from zhiheng.core.errors import Conflict, Forbidden, Refusal


class NotAParty(Refusal, Forbidden):
    """R-MAT-1: only the matter's own people act on it — a unit member submits, the submitter withdraws,
    the submitter or the deputy executes and adds evidence."""

    default_rule = "R-MAT-1"


class PrincipalAttempt(Refusal, Forbidden):
    """R-MAT-2: the principal approving, rejecting or signing a restricted matter. The service writes the
    RF1 warning before re-raising it (services/rf1.py)."""

    default_rule = "R-MAT-2"


class NotInCharge(Refusal, Forbidden):
    """R-MAT-2: only the deputy in charge on the submission date, holding a current term and without an
    interest in the matter, decides it; only a co-signer in office signs it."""

    default_rule = "R-MAT-2"


class NobodyInCharge(Refusal, Conflict):
    """R-DIV-4: the power has no deputy in charge (the plan does not cover it, or the deputy left)."""

    default_rule = "R-DIV-4"


class CollectiveOnly(Refusal, Conflict):
    """R-MAT-3: the matter is decided only in a leadership-team meeting, never by the deputy alone."""

    default_rule = "R-MAT-3"


class NotTheTeam(Refusal, Forbidden):
    """R-MAT-3: only the deputy in charge, or the leadership team, sends a matter to a meeting; only the
    team's meeting decides it."""

    default_rule = "R-MAT-3"


class CosignRefused(Refusal, Conflict):
    """R-MAT-4: the co-signatures stand in the way (already signed, or still missing)."""

    default_rule = "R-MAT-4"


class JointReviewIncomplete(Refusal, Conflict):
    """R-MAT-7: the enforcement decision still waits for its joint-review panel."""

    default_rule = "R-MAT-7"
