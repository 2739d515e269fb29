"""Ledger event codes of the meetings app (R-MTG-7, R-LED-1)."""

from django.utils.translation import gettext_lazy as _

from zhiheng.ledger.events import register

MEETING_CREATED = register("meeting.created", _("会议创建"))
ITEM_ADDED = register("meeting.item_added", _("议题列入议程"))
ATTENDANCE = register("meeting.attendance", _("会议出席登记"))
STATEMENT = register("meeting.statement", _("班子成员表态"))
RECOMMENDATION = register("meeting.recommendation", _("实名推荐"))
ITEM_DECIDED = register("meeting.item_decided", _("议题决定（系统计票）"))
SEALED = register("meeting.sealed", _("会议纪要封存"))
CORRECTED = register("meeting.corrected", _("会议纪要更正"))
RULES_SET = register("meeting.rules_set", _("议事规则设定"))
INSPECTION_OBSERVE = register("meeting.inspection_observe", _("督察组不打招呼列席会议"))
ITEM_DEFERRED = register("meeting.item_deferred", _("议题由主持人决定缓议"))
