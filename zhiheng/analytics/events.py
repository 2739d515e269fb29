"""Ledger event codes of the analytics app. Marking a unit as a pilot unit was a parameter of analytics
until pilot programmes (decision 0026); its code stays registered so the entries already written still
verify and read, but nothing writes it any more."""

from django.utils.translation import gettext_lazy as _

from zhiheng.ledger.events import register

PILOT_SET = register("analytics.pilot_set", _("试点单位标记"))
