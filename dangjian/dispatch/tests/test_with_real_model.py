"""With a model trained through the real ``intel`` action: the decision carries its version
and top three, and an override to another category is recorded for the next training."""

import pytest

from dangjian.appeals.models import Category
from dangjian.dispatch import actions
from dangjian.dispatch.models import DecisionStatus
from dangjian.intel import classify, dataset
from dangjian.intel.actions import train_version
from dangjian.intel.models import Override
from dangjian.intel.tests import samples


@pytest.fixture
def model(db):
    classify.forget()
    version = train_version(
        data=dataset.from_rows(samples.rows(), dataset.Taxonomy(1)),
        taxonomy=dataset.Taxonomy(1),
        source="tests",
        acting_user=None,
        holdout=0.25,
    ).version
    yield version
    classify.forget()


def test_the_decision_uses_the_newest_model_and_an_override_is_recorded(world, report, model, departments):
    case = report(title="路灯坏了", description="小区门口的路灯坏了好几天，晚上黑乎乎的")
    d = actions.decide_case(case)
    assert d.model_version == model.pk and len(d.guesses) == 3
    assert d.reasons[0].startswith(f"分类模型 v{model.pk}：")
    confidences = [g["confidence"] for g in d.guesses]
    assert confidences == sorted(confidences, reverse=True) and 0 < sum(confidences) <= 1.0001
    chosen = Category.objects.filter(level=1, enterprise=False).exclude(code=d.guesses[0]["code"]).first()
    assert chosen is not None
    actions.override_decision(
        d, category=chosen, department=departments["城市管理局"][0], acting_user=world.grid_worker
    )
    d.refresh_from_db()
    assert d.status == DecisionStatus.OVERRIDDEN
    row = Override.objects.get()
    assert row.predicted_code == d.guesses[0]["code"] and row.chosen_code == chosen.code
