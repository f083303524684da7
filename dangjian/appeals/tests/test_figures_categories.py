"""Counts by top-level category, reported the way the seeds do (共受理诉求 N 件 … 其中 X a 件)."""

from dangjian.appeals import actions, figures, stats
from dangjian.appeals.models import Category


def test_it_writes_the_category_sentence_and_table(world, login, report, road):
    other = (
        Category.objects.filter(level=3, enterprise=False)
        .exclude(code__startswith=road.code.split(".")[0] + ".")
        .order_by("code")
        .first()
    )
    assert other is not None
    gw, so = world.grid_worker, world.street_officer
    for i in range(3):
        report(title=f"路{i}")
    done = actions.accept_case(report(category=other, title="其他"), acting_user=gw)
    done = actions.dispatch_case(done, to_node=world.grid_a1, acting_user=gw)
    done = actions.acknowledge_case(done, acting_user=gw)
    done = actions.feedback_case(done, result="好了", acting_user=gw)
    actions.verify_case(done, passed=True, acting_user=so)
    road_top = Category.objects.get(code=road.code.split(".")[0])
    other_top = Category.objects.get(code=other.code.split(".")[0])

    r = login(so).get("/appeals/figures/")
    sentence = f"共受理诉求 4 件，办结 1 件，其中{road_top.name} 3 件、{other_top.name} 1 件。"
    assert r.context["sentence"] == sentence
    html = r.content.decode()
    assert sentence in html and 'id="category-table"' in html and 'id="category-chart"' in html
    assert [(c["name"], c["received"], c["closed"]) for c in r.context["cats"]] == [
        (other_top.name, 1, 1),
        (road_top.name, 3, 0),
    ]


def test_it_says_so_when_there_is_nothing(world, login):
    r = login(world.street_officer).get("/appeals/figures/")
    assert r.context["sentence"] == "本期暂无受理的诉求。"
    assert "暂无" in r.content.decode()


def test_the_sentence_shortens_long_lists():
    rows = [{"name": f"类{i}", "received": 10 - i, "closed": 0} for i in range(8)]
    rates = stats.Rates({**dict.fromkeys(stats.COUNTERS, 0), "received": 52, "closed": 7})
    text = figures.category_sentence(rows, rates, limit=2)
    assert text == "共受理诉求 52 件，办结 7 件，其中类0 10 件、类1 9 件等。"
