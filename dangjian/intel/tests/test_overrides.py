"""Staff overrides are recorded and used at the next training (the chosen category wins)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from dangjian.appeals import actions as appeals
from dangjian.appeals.models import Case, Category
from dangjian.core.models import AuditEvent
from dangjian.intel import actions, classify, dataset
from dangjian.intel.models import Override

_keys = itertools.count(1)


def leaf(top_name: str) -> Category:
    c = (
        Category.objects.filter(level=3, parent__parent__name=top_name, enterprise=False)
        .order_by("code")
        .first()
    )
    assert c is not None
    return c


def submit(world: Any, category: Category, title: str, text: str) -> Case:
    return appeals.submit_case(
        channel="resident",
        category=category,
        title=title,
        description=text,
        lng=110.355,
        lat=22.705,
        idempotency_key=f"intel-{next(_keys)}",
        reporter=world.resident_person,
        acting_user=world.resident,
    ).case


def test_it_records_an_override_with_who_and_which_model(world: Any, trained: Any) -> None:
    case = submit(world, leaf("城乡建设"), "工地拖欠工资", "包工头拖欠我们工资")
    chosen = leaf("劳动和社会保障").code
    classify.record_override(
        case=case, predicted_code="01", chosen_code=chosen, acting_user=world.street_officer
    )
    o = Override.objects.get()
    assert (o.case, o.predicted_code, o.chosen_code, o.by) == (case, "01", chosen, world.street_officer)
    assert o.model_version == trained
    assert AuditEvent.objects.filter(
        action="intel.override", object_id=str(o.pk), actor=world.street_officer
    ).exists()


def test_agreeing_with_the_model_is_not_an_override(world: Any) -> None:
    case = submit(world, leaf("城乡建设"), "路灯", "路灯坏了")
    classify.record_override(
        case=case,
        predicted_code=leaf("城乡建设").code,
        chosen_code=leaf("城乡建设").code,
        acting_user=world.admin,
    )
    assert not Override.objects.exists()


def test_an_unknown_category_is_refused_and_nothing_is_written(world: Any) -> None:
    case = submit(world, leaf("城乡建设"), "路灯", "路灯坏了")
    with pytest.raises(ValueError, match="未知的分类编码"):
        classify.record_override(case=case, predicted_code="01", chosen_code="77.77", acting_user=world.admin)
    assert not Override.objects.exists()


def test_the_next_training_from_a_file_includes_the_overrides(world: Any, labelled: dataset.Labelled) -> None:
    case = submit(world, leaf("城乡建设"), "工资被拖欠半年", "在工地干活老板一直不发工资")
    chosen = leaf("劳动和社会保障")
    classify.record_override(
        case=case, predicted_code=leaf("城乡建设").code, chosen_code=chosen.code, acting_user=world.admin
    )
    taxonomy = dataset.Taxonomy(1)
    dataset.add_overrides(labelled, taxonomy)
    assert labelled.overrides_used == 1
    assert (labelled.titles[-1], labelled.codes[-1]) == ("工资被拖欠半年", chosen.code.split(".")[0])
    v = actions.train_version(
        data=labelled, taxonomy=taxonomy, source="t", acting_user=world.admin, holdout=0.25
    ).version
    assert v.training_size == 33 and v.overrides_used == 1 and v.trained_by == world.admin


def test_training_from_cases_takes_handled_cases_and_the_override_wins(world: Any) -> None:
    building, labour = leaf("城乡建设"), leaf("劳动和社会保障")
    handled = submit(world, building, "路灯坏了", "小区路灯不亮")
    Case.objects.filter(pk=handled.pk).update(status="closed")
    open_case = submit(world, building, "井盖丢了", "人行道井盖丢了")  # still open: not learned from
    overridden = submit(world, building, "老板拖欠工资", "工地拖欠工资")
    Case.objects.filter(pk=overridden.pk).update(status="rated")
    classify.record_override(
        case=overridden, predicted_code=building.code, chosen_code=labour.code, acting_user=world.admin
    )

    data = dataset.from_cases(dataset.Taxonomy(1))
    pairs = sorted(zip(data.titles, data.codes, strict=True))
    assert pairs == sorted([("路灯坏了", building.code[:2]), ("老板拖欠工资", labour.code[:2])])
    assert open_case.title not in data.titles
    assert data.overrides_used == 1
