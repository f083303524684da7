"""The published rules (规则公示) every city starts with; communities can change them later."""

from decimal import Decimal

from django.db import migrations

RULES = [
    ("service_hour", "志愿服务时长", "10", "小时", "经社区核实的志愿服务，每小时 10 分（双报到党员进社区服务）", None),
    ("wish_fulfilled", "圆梦微心愿", "20", "个", "认领并完成一个群众微心愿，经群众确认后计分", None),
    ("need_fulfilled", "为民红绳解难事", "30", "件", "认领并办结一件家庭帮扶或公共需求", None),
    ("meeting", "参加组织生活", "5", "次", "参加三会一课、主题党日等组织生活并签到", "120"),
    ("activity", "参加社区活动", "5", "次", "参加社区组织的活动并签到", "120"),
    ("double_registration", "双报到", "50", "次", "在职党员到居住地社区报到、单位到驻地社区报到，经社区确认", "50"),
    ("post_duty", "红管家值班", "5", "班", "楼栋长、红管家按轮值表值班（星积分）", None),
    ("appeal_report", "随手拍反映问题", "2", "件", "反映的问题经核实受理", "60"),
    ("good_deed", "好人好事", "10", "件", "经社区认定的好人好事（人工录入，须写明事由）", None),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("points", "Rule")
    for i, (code, name, points, unit, description, cap) in enumerate(RULES):
        Rule.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "points": Decimal(points),
                "unit": unit,
                "description": description,
                "max_per_year": Decimal(cap) if cap else None,
                "ordering": i * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("points", "0001_ledgers_and_shop")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
