"""Wiring: every app's API router mounted on the one NinjaAPI at /api/v1/ (the plumbing is zhiheng.api).

A new app adds its router here; the order is the order of the OpenAPI document's sections."""

from zhiheng.accounts.api import router as accounts
from zhiheng.accounts.bearer import bearer
from zhiheng.analytics.api import router as analytics
from zhiheng.api.router import build_api
from zhiheng.checkup.api import router as checkup
from zhiheng.inspections.api import router as inspections
from zhiheng.ledger.api import router as ledger
from zhiheng.matters.api import router as matters
from zhiheng.meetings.api import router as meetings
from zhiheng.org.api import router as org
from zhiheng.pilots.api import router as pilots
from zhiheng.powers.api import router as powers
from zhiheng.reports.api import router as reports
from zhiheng.risk.api import router as risk
from zhiheng.riskregister.api import router as riskregister
from zhiheng.supervision.api import router as supervision
from zhiheng.tours.api import router as tours
from zhiheng.unitrules.api import router as unitrules

api = build_api(
    [
        accounts,
        org,
        powers,
        matters,
        meetings,
        risk,
        supervision,
        inspections,
        checkup,
        reports,
        analytics,
        pilots,
        riskregister,
        unitrules,
        tours,
        ledger,
    ],
    auth=bearer,
)
