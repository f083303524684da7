"""Month rows and all-categories rows: every case counts in a day row and a month row, each
for its category and for all categories, and any date range read as whole months plus
edge days gives exactly the sums of the day rows of the categories."""

import datetime
import random

from dangjian.appeals import actions, stats
from dangjian.appeals.models import Case, CaseStat

DAYS = [
    datetime.date(2026, 8, 31),
    datetime.date(2026, 9, 1),
    datetime.date(2026, 9, 15),
    datetime.date(2026, 9, 30),
    datetime.date(2026, 10, 1),
    datetime.date(2026, 10, 8),
    datetime.date(2026, 11, 20),
    datetime.date(2026, 12, 31),
]


def day_sums(node_id, start, end, category=None):
    """The definition: the sum of the day rows of the categories over the range."""
    totals = dict.fromkeys(stats.COUNTERS, 0)
    for (monthly, day, node, cat), counters in stats.recount().items():
        if cat is None or (category is not None and cat != category):
            continue
        if not monthly and node == node_id and start <= day <= end:
            for name, value in counters.items():
                totals[name] += value
    return totals


def test_ranges_read_from_month_rows_equal_the_day_sums(world, report):
    for i, day in enumerate(DAYS):
        case = report(title=f"第{i}件")
        if i % 2:
            case = actions.accept_case(case, acting_user=world.grid_worker)
        Case.objects.filter(pk=case.pk).update(received_on=day)
    stats.rebuild()
    assert stats.stored() == stats.recount()
    months = CaseStat.objects.filter(monthly=True, node=world.city)
    assert months.filter(category__isnull=True).count() == 5  # Aug, Sep, Oct, Nov, Dec
    assert months.filter(category__isnull=False).count() == 5  # one category in this test
    top = Case.objects.values_list("top_category_id", flat=True).first()

    rng = random.Random(7)
    ranges = [
        (datetime.date(2026, 9, 1), datetime.date(2026, 9, 30)),  # one whole month
        (datetime.date(2026, 9, 2), datetime.date(2026, 9, 30)),  # no whole month
        (datetime.date(2026, 8, 31), datetime.date(2026, 10, 1)),  # edges either side of a month
        (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),  # the year
        (datetime.date(2026, 10, 8), datetime.date(2026, 10, 8)),  # one day
    ]
    for _ in range(30):
        a, b = sorted(
            datetime.date(2026, 8, 1) + datetime.timedelta(days=rng.randrange(160)) for _ in range(2)
        )
        ranges.append((a, b))
    for start, end in ranges:
        for node in (world.city, world.street_a, world.grid_a1):
            assert stats.rates_for(node.pk, start, end).counts == day_sums(node.pk, start, end), (start, end)
        assert stats.rates_by([world.city.pk], start, end)[world.city.pk].counts == day_sums(
            world.city.pk, start, end
        )
        by_cat = stats.rates_for(world.city.pk, start, end, category_id=top).counts
        assert by_cat == day_sums(world.city.pk, start, end, category=top)
        listed = stats.counts_by_category(world.city.pk, start, end)
        assert [(r["category_id"], r["received"]) for r in listed] == (
            [(top, by_cat["received"])] if by_cat["received"] else []
        )


def test_the_period_reads_month_rows_for_whole_months_only():
    q = str(stats.period(datetime.date(2026, 9, 2), datetime.date(2026, 9, 29)))
    assert "('monthly', True)" not in q
    q = str(stats.period(datetime.date(2026, 8, 15), datetime.date(2026, 11, 3)))
    assert "('monthly', True)" in q
    assert "datetime.date(2026, 9, 1)" in q and "datetime.date(2026, 10, 31)" in q


def test_a_live_intake_bumps_its_day_and_month_rows(world, report):
    case = report()
    actions.accept_case(case, acting_user=world.grid_worker)
    rows = CaseStat.objects.filter(node=world.grid_a1)
    assert sorted((r.monthly, r.category_id is None, r.received, r.accepted) for r in rows) == [
        (False, False, 1, 1),
        (False, True, 1, 1),
        (True, False, 1, 1),
        (True, True, 1, 1),
    ]
    assert stats.stored() == stats.recount()
