"""The figures page reads the counters, never the case table: its query count does not
grow with the number of cases."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.appeals import actions


def _grow(world, report, n):
    for i in range(n):
        c = report(title=f"问题{i}")
        if i % 2:
            actions.accept_case(c, acting_user=world.grid_worker)


def _count(client, url, *, case_reads=0):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    reads = [q["sql"] for q in ctx.captured_queries if '"appeals_case"' in q["sql"]]
    assert len(reads) == case_reads
    # the only read of the case table groups by (assignee_unit, status): the covering index
    assert all("GROUP BY" in sql and '"assignee_unit_id"' in sql for sql in reads)
    return len(ctx.captured_queries)


def test_it_does_not_grow_with_the_cases(world, login, report, django_assert_max_num_queries):
    client = login(world.street_officer)
    _grow(world, report, 3)
    urls = [
        "/appeals/figures/",
        f"/appeals/figures/?node={world.community_a.pk}",
        "/appeals/figures/?export=xlsx",
    ]
    few = [_count(client, u) for u in urls]
    _grow(world, report, 10)
    many = [_count(client, u) for u in urls]
    assert few == many
    with django_assert_max_num_queries(14):
        client.get("/appeals/figures/")


def test_the_department_ranking_is_bounded_too(world, login, report, departments):
    client = login(world.admin)
    _grow(world, report, 3)
    url = "/appeals/figures/departments/"
    few = _count(client, url, case_reads=1)
    _grow(world, report, 10)
    assert few == _count(client, url, case_reads=1)
