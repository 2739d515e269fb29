"""Ledger event codes of the meetings app (R-MTG-7, R-LED-1)."""

from zhiheng.ledger.events import register

MEETING_CREATED = register("meeting.created", "会议创建")
ITEM_ADDED = register("meeting.item_added", "议题列入议程")
ATTENDANCE = register("meeting.attendance", "会议出席登记")
STATEMENT = register("meeting.statement", "班子成员表态")
RECOMMENDATION = register("meeting.recommendation", "实名推荐")
ITEM_DECIDED = register("meeting.item_decided", "议题决定（系统计票）")
SEALED = register("meeting.sealed", "会议纪要封存")
CORRECTED = register("meeting.corrected", "会议纪要更正")
RULES_SET = register("meeting.rules_set", "议事规则设定")
