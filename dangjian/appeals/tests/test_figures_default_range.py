"""The figures open on the last 30 days (近30天), not on “本月”: on the 4th of a month the
month holds three days and a leader's first look would be 解决率 0.0%."""

from datetime import date, timedelta

from django.utils import timezone

from dangjian.core.periods import parse_period


def test_it_defaults_to_the_last_30_days_today_included():
    p = parse_period({}, date(2026, 12, 4))
    assert (p.start, p.end, p.preset, p.error) == (date(2026, 11, 5), date(2026, 12, 4), "last30", "")
    assert p.name == "近30天"


def test_it_opens_the_appeals_figures_on_the_last_30_days_with_the_month_one_click_away(world, login):
    today = timezone.localdate()
    client = login(world.street_officer)
    r = client.get("/appeals/figures/")
    period = r.context["period"]
    assert (period.start, period.end, period.preset) == (today - timedelta(days=29), today, "last30")
    html = r.content.decode()
    assert "近30天" in html and "range=month" in html and "本月" in html
    r = client.get("/appeals/figures/?range=month")
    assert r.context["period"].start == today.replace(day=1)


def test_it_opens_the_department_ranking_on_the_last_30_days(world, login):
    r = login(world.admin).get("/appeals/figures/departments/")
    assert r.status_code == 200 and r.context["period"].preset == "last30"
