"""Decisions: stored with the model, the guesses, the rule and the reasons; low confidence
goes to a person; applying and overriding move the case through the appeals actions."""

import pytest
from django.core.exceptions import ValidationError

from dangjian.appeals import stats, workflow
from dangjian.appeals.models import Transition
from dangjian.core.models import AuditEvent
from dangjian.dispatch import actions
from dangjian.dispatch.models import CaseSignature, DecisionStatus, DispatchDecision
from dangjian.dispatch.tests.conftest import cat, predictor_for


@pytest.fixture
def rules(world, departments, lamp):
    cg = departments["城市管理局"][0]
    actions.create_rule(node=world.city, category=None, tier="grid", acting_user=world.admin)
    actions.create_rule(
        node=world.city, category=lamp.parent, tier="street", department=cg, acting_user=world.admin
    )
    actions.create_rule(
        node=world.city,
        category=cat("环境保护"),
        tier="county",
        department=departments["生态环境局"][0],
        resolve_days=3,
        acting_user=world.admin,
    )


def test_without_a_model_it_routes_the_reporters_category(world, report, rules, departments):
    case = report()
    d = actions.decide_case(case, predictor=lambda t, x: None)
    assert d.confident and not d.needs_person and d.model_version is None and d.guesses == []
    assert (
        d.category == case.category
        and d.node == world.street_a
        and d.department == departments["城市管理局"][0]
    )
    assert "尚无可用的分类模型" in d.reasons[0] and any("命中分派规则" in r for r in d.reasons)
    assert CaseSignature.objects.filter(case_id=case.pk).exists()
    assert AuditEvent.objects.filter(action="dispatch.decide", object_id=str(d.pk)).exists()


def test_a_confident_model_can_change_the_category_and_the_route(world, report, rules, departments, lamp):
    noise = cat("环境保护", "环境污染", "噪音污染")
    case = report(title="工地夜间施工", description="凌晨还在打桩，吵得睡不着")
    d = actions.decide_case(case, predictor=predictor_for((noise, 0.81), (lamp, 0.12), (cat("政法"), 0.03)))
    assert d.model_version == 3 and [g["code"] for g in d.guesses] == [
        noise.code,
        lamp.code,
        cat("政法").code,
    ]
    assert d.guesses[0]["confidence"] == 0.81
    assert d.category == noise and d.tier == "county" and d.department == departments["生态环境局"][0]
    text = "\n".join(d.reasons)
    assert "分类模型 v3：噪音污染 81%" in text and "与反映人所选" in text and "办结 3 个工作日" in text


def test_low_confidence_goes_to_a_person(world, report, rules, lamp):
    case = report()
    d = actions.decide_case(case, predictor=predictor_for((lamp, 0.41), confident=False))
    assert not d.confident and d.needs_person and "人工分派" in "".join(d.reasons)
    with pytest.raises(ValidationError):
        actions.apply_decision(d, acting_user=world.grid_worker)
    case.refresh_from_db()
    assert case.status == "submitted"


def test_a_new_decision_supersedes_the_pending_one(world, report, rules):
    case = report()
    first = actions.decide_case(case, predictor=lambda t, x: None)
    second = actions.decide_case(case, predictor=lambda t, x: None)
    first.refresh_from_db()
    assert first.status == DecisionStatus.SUPERSEDED and second.status == DecisionStatus.PROPOSED
    with pytest.raises(workflow.TransitionError):
        actions.apply_decision(first, acting_user=world.grid_worker)


def test_applying_accepts_and_dispatches_through_the_appeals_actions(world, report, rules, departments):
    case = report()
    d = actions.decide_case(case, predictor=lambda t, x: None)
    case = actions.apply_decision(d, acting_user=world.grid_worker)
    assert case.status == "dispatched" and case.assignee_unit == departments["城市管理局"][0]
    assert case.handling_node == world.street_a and case.tier == "street"
    assert list(Transition.objects.filter(case=case).values_list("event", flat=True)) == [
        "submit",
        "accept",
        "dispatch",
    ]
    d.refresh_from_db()
    assert d.status == DecisionStatus.APPLIED and d.decided_by == world.grid_worker and d.decided_at
    with pytest.raises(workflow.TransitionError):
        actions.apply_decision(d, acting_user=world.grid_worker)  # once


def test_a_county_rule_dispatches_to_the_department_only(world, report, rules, departments):
    noise = cat("环境保护", "环境污染", "噪音污染")
    case = report(category=noise, title="噪音", description="夜里施工")
    d = actions.decide_case(case, predictor=lambda t, x: None)
    case = actions.apply_decision(d, acting_user=world.grid_worker)
    assert case.assignee_unit == departments["生态环境局"][0] and case.handling_node == world.grid_a1


def test_someone_who_may_not_dispatch_is_refused(world, report, rules):
    case = report()
    d = actions.decide_case(case, predictor=lambda t, x: None)
    with pytest.raises(workflow.TransitionError):
        actions.apply_decision(d, acting_user=world.outsider)
    d.refresh_from_db()
    case.refresh_from_db()
    assert d.status == DecisionStatus.PROPOSED and case.status == "submitted"


def test_overriding_dispatches_elsewhere_and_records_the_choice(world, report, rules, departments, lamp):
    case = report()
    d = actions.decide_case(case, predictor=predictor_for((lamp, 0.9)))
    other = cat("城乡建设", "城市建设和市政管理", "环境卫生")
    hw = departments["环境卫生管理站"][0]
    case = actions.override_decision(
        d, category=other, department=hw, note="其实是垃圾问题", acting_user=world.grid_worker
    )
    assert case.status == "dispatched" and case.assignee_unit == hw
    d.refresh_from_db()
    assert d.status == DecisionStatus.OVERRIDDEN and d.chosen_category == other and d.chosen_department == hw
    assert d.note == "其实是垃圾问题"
    assert AuditEvent.objects.filter(action="dispatch.override", object_id=str(d.pk)).exists()
    assert case.category == other  # the dispatcher's category is now the case's own
    assert stats.stored() == stats.recount()


def test_applying_a_different_category_moves_the_case_and_its_counters(
    world, report, rules, departments, lamp
):
    noise = cat("环境保护", "环境污染", "噪音污染")
    case = report(title="工地夜间施工", description="凌晨还在打桩，吵得睡不着")
    d = actions.decide_case(case, predictor=predictor_for((noise, 0.81), (lamp, 0.12)))
    case = actions.apply_decision(d, acting_user=world.grid_worker)
    case.refresh_from_db()
    assert case.category == noise and case.top_category == cat("环境保护")
    assert stats.stored() == stats.recount()


def test_the_signal_receiver_enqueues_the_decision(
    world, report, rules, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        case = report()
    d = DispatchDecision.objects.get(case=case)
    assert d.status == DecisionStatus.PROPOSED and d.node == world.street_a


def test_a_model_naming_the_reporters_top_category_keeps_the_specific_choice(world, report, rules, lamp):
    case = report()
    d = actions.decide_case(case, predictor=predictor_for((cat("城乡建设"), 0.9)))
    assert d.category == lamp and d.node == world.street_a
    assert "同属“城乡建设”" in "".join(d.reasons)
