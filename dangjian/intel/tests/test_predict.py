"""predict(): top three categories, calibrated, best first; None without an active model."""

from __future__ import annotations

from typing import Any

from dangjian.appeals.models import Category
from dangjian.intel import classify


def code(name: str) -> str:
    return Category.objects.get(level=1, name=name).code


def test_it_returns_none_without_an_active_model(db: Any) -> None:
    assert classify.predict("路灯坏了", "小区路灯不亮") is None


def test_it_returns_top_three_sorted_and_summing_at_most_one(trained: Any) -> None:
    p = classify.predict("工地老板拖欠工资", "您好，我在北流市打工，老板拖欠我们三个月工资，望领导重视！")
    assert p is not None
    assert len(p.guesses) == 3
    confidences = [g.confidence for g in p.guesses]
    assert confidences == sorted(confidences, reverse=True)
    assert 0 < sum(confidences) <= 1.0 + 1e-9
    assert len({g.category_code for g in p.guesses}) == 3
    assert p.guesses[0].category_code == code("劳动和社会保障")
    assert p.guesses[0].category_name == "劳动和社会保障"
    assert p.model_version == trained.pk


def test_it_learns_each_class_from_the_data(trained: Any) -> None:
    cases = {
        "城乡建设": ("路面坑洼积水", "我们这条路坑坑洼洼，下雨积水，请市政修一下路"),
        "环境保护": ("油烟和噪音", "烧烤店油烟排放严重，气味刺鼻"),
        "教育文体": ("学校乱收费", "学校让学生买教辅，还收补课费"),
    }
    for name, (title, body) in cases.items():
        p = classify.predict(title, body)
        assert p is not None
        assert p.guesses[0].category_code == code(name), (name, p.guesses)


def test_it_is_not_confident_below_the_threshold(trained: Any) -> None:
    title, body = "学校门口的事", "学校门口工地噪音大，老板还拖欠工资"
    first = classify.predict(title, body)
    assert first is not None
    best = first.guesses[0].confidence

    trained.threshold = best + 1e-6
    trained.save(update_fields=["threshold"])
    classify.forget()
    p = classify.predict(title, body)
    assert p is not None and p.confident is False
    assert p.guesses == first.guesses  # the threshold decides who decides, not the guesses

    trained.threshold = best
    trained.save(update_fields=["threshold"])
    classify.forget()
    p = classify.predict(title, body)
    assert p is not None and p.confident is True


def test_the_stored_threshold_comes_from_held_out_data(trained: Any) -> None:
    assert 0.3 <= trained.threshold <= 0.95
    assert trained.evaluation["threshold"] == trained.threshold
