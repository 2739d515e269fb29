"""The refusals the matters engine raises again and again, each with the SPEC rule it enforces.

Raise them as `NotInCharge("…", {"matter": pk})`: the rule id comes with the class. The API maps them
like any DomainError (status from Forbidden/Conflict); pages show the rule id with the message.
"""

from __future__ import annotations

from zhiheng.core.errors import Conflict, Forbidden, Refusal


class NotAParty(Refusal, Forbidden, rule="R-MAT-1"):
    """R-MAT-1: only the matter's own people act on it — a unit member submits, the submitter withdraws,
    the submitter or the deputy executes and adds evidence."""


class PrincipalAttempt(Refusal, Forbidden, rule="R-MAT-2"):
    """R-MAT-2: the principal approving, rejecting or signing a restricted matter. The service writes the
    RF1 warning before re-raising it (services/rf1.py)."""


class NotInCharge(Refusal, Forbidden, rule="R-MAT-2"):
    """R-MAT-2: only the deputy in charge on the submission date, holding a current term and without an
    interest in the matter, decides it; only a co-signer in office signs it."""


class DeclaredInterest(Refusal, Forbidden, rule="RF3"):
    """RF3 at the moment of decision: the counterparty is a business or a relative the decider declared
    (R-GATE-2); the deputy does not decide it alone — the team decides, without them (R-MTG-9)."""


class NobodyInCharge(Refusal, Conflict, rule="R-DIV-4"):
    """R-DIV-4: the power has no deputy in charge (the plan does not cover it, or the deputy left)."""


class CollectiveOnly(Refusal, Conflict, rule="R-MAT-3"):
    """R-MAT-3: the matter is decided only in a leadership-team meeting, never by the deputy alone."""


class NotTheTeam(Refusal, Forbidden, rule="R-MAT-3"):
    """R-MAT-3: only the deputy in charge, or the leadership team, sends a matter to a meeting; only the
    team's meeting decides it."""


class CosignRefused(Refusal, Conflict, rule="R-MAT-4"):
    """R-MAT-4: the co-signatures stand in the way (already signed, or still missing)."""


class JointReviewIncomplete(Refusal, Conflict, rule="R-MAT-7"):
    """R-MAT-7: the enforcement decision still waits for its joint-review panel."""
