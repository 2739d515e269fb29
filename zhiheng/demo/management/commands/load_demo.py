"""`zhiheng load_demo`: build the demo dataset (once) and print the demo accounts."""

from collections import Counter

from django.core.management.base import BaseCommand

from zhiheng.accounts.models import Person
from zhiheng.demo import builder
from zhiheng.demo.context import DEMO_PASSWORD
from zhiheng.demo.steps.reports import TRIAL_PASSPHRASE, TRIAL_RECEIPT
from zhiheng.risk.models import Warning


class Command(BaseCommand):
    help = "载入演示数据（江北区、南川区、永川区）并列出演示账户"

    def add_arguments(self, parser):
        parser.add_argument("--quiet-accounts", action="store_true", help="不列出全部账户，只列出示例")

    def handle(self, *args, quiet_accounts: bool = False, **options):
        ctx = builder.build()
        self.stdout.write(self.style.SUCCESS("演示数据已载入" if ctx else "演示数据已存在，未重复载入"))
        raised = Counter(Warning.objects.values_list("rule", flat=True))
        rules = "、".join(f"{rule} {n} 条" for rule, n in sorted(raised.items())) or "无"
        self.stdout.write(f"风险预警（由预警规则对全部历史回放产生，详见 docs/demo.md）：{rules}")
        self.stdout.write(f"所有演示账户的密码：{DEMO_PASSWORD}")
        self.stdout.write(
            f"试用举报查询（/report/follow-up/）：查询码 {TRIAL_RECEIPT} 密码 {TRIAL_PASSPHRASE}"
        )
        people = Person.objects.filter(is_superuser=False).order_by("username")
        if quiet_accounts:
            people = people.filter(username__regex=r"(-admin|^jb-fsz-.*)$")
        for person in people.prefetch_related("memberships__unit", "district_roles__district"):
            roles = [f"{m.unit.name}·{m.title or m.get_role_display()}" for m in person.memberships.all()]
            roles += [f"{g.district.name}·{g.get_role_display()}" for g in person.district_roles.all()]
            self.stdout.write(f"  {person.username:<22} {person.name:<4} {'；'.join(roles)}")
