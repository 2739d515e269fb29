"""Ledger event codes of the analytics app: marking a unit as a pilot unit is a dated, recorded act."""

from django.utils.translation import gettext_lazy as _

from zhiheng.ledger.events import register

PILOT_SET = register("analytics.pilot_set", _("试点单位标记"))
