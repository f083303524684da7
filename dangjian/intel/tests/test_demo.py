"""The demo build leaves an active classifier learned from the corpus and the handled cases."""

from __future__ import annotations

from typing import Any

from dangjian.appeals import actions as appeals
from dangjian.appeals.models import Case, Category
from dangjian.intel import classify
from dangjian.intel import demo as intel_demo
from dangjian.intel.models import ClassifierVersion


def test_it_trains_and_activates_from_the_corpus_and_the_cases(world: Any) -> None:
    category = Category.objects.filter(level=3, parent__parent__name="城乡建设").order_by("code").first()
    case = appeals.submit_case(
        channel="resident",
        category=category,
        title="路灯坏了",
        description="小区路灯不亮",
        lng=110.355,
        lat=22.705,
        idempotency_key="intel-demo-1",
        reporter=world.resident_person,
        acting_user=world.resident,
    ).case
    Case.objects.filter(pk=case.pk).update(status="rated")
    logged: list[str] = []
    intel_demo.build(log=logged.append)
    v = ClassifierVersion.objects.get(active=True)
    assert v.training_size == 301 + 1
    assert "演示已办理诉求 1 件" in v.source
    assert len(v.classes) == 13
    assert logged and "诉求分类模型 v1" in logged[0]
    p = classify.predict("孩子上学难", "您好，我家孩子今年上一年级，学区学校说学位满了，望领导重视")
    assert p is not None and p.guesses[0].category_name == "教育文体"
