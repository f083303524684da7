"""The date range of the figures: presets, a custom range, and bad input falling back to the
last 30 days (the default since issue 11; it was this month)."""

from datetime import date

from dangjian.core.periods import parse_period

TODAY = date(2026, 11, 21)


def test_it_knows_the_presets():
    p = parse_period({"range": "month"}, TODAY)
    assert (p.start, p.end) == (date(2026, 11, 1), date(2026, 11, 30))
    p = parse_period({"range": "last_month"}, TODAY)
    assert (p.start, p.end) == (date(2026, 10, 1), date(2026, 10, 31))
    p = parse_period({"range": "quarter"}, TODAY)
    assert (p.start, p.end) == (date(2026, 10, 1), date(2026, 12, 31))
    p = parse_period({"range": "year"}, TODAY)
    assert (p.start, p.end) == (date(2026, 1, 1), date(2026, 12, 31))
    p = parse_period({"range": "last_month"}, date(2026, 1, 5))
    assert (p.start, p.end) == (date(2025, 12, 1), date(2025, 12, 31))


def test_it_takes_a_custom_range():
    p = parse_period({"start": "2026-09-28", "end": "2026-10-08"}, TODAY)
    assert (p.start, p.end, p.preset, p.error) == (date(2026, 9, 28), date(2026, 10, 8), "custom", "")


def test_bad_input_falls_back_to_the_last_30_days_with_a_chinese_message():
    for params, message in [
        ({"range": "custom", "start": "2026-10-08", "end": "2026-09-28"}, "开始日期不能晚于结束日期"),
        ({"range": "custom", "start": "2026-02-30", "end": "2026-03-01"}, "格式 YYYY-MM-DD"),
        ({"range": "decade"}, "统计区间不正确"),
        ({"start": "2010-01-01", "end": "2026-01-01"}, "不能超过 5 年"),
    ]:
        p = parse_period(params, TODAY)
        assert message in p.error and "已改为近30天" in p.error
        assert (p.start, p.end, p.preset) == (date(2026, 10, 23), date(2026, 11, 21), "last30")


def test_the_page_shows_the_message(world, login):
    r = login(world.street_officer).get("/appeals/figures/?range=custom&start=2026-10-08&end=2026-09-28")
    assert r.status_code == 200 and "开始日期不能晚于结束日期" in r.content.decode()
