"""Issue 11: in the desktop queue the whole row opens the case (the number's link is stretched
over the row), with no inline script — the CSP allows none."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.urls import reverse

QUEUE = reverse("appeals:queue")


def test_every_desktop_row_is_one_link_to_its_case(world, report, login):
    cases = [report(title=t) for t in ("路灯不亮", "井盖缺失")]
    html = login(world.grid_worker).get(QUEUE, {"tab": "all"}).content.decode()
    table = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr[^>]*>.*?</tr>", table, flags=re.S)
    assert len(rows) == len(cases)
    for case in cases:
        row = next(r for r in rows if f'data-case="{case.number}"' in r)
        assert re.match(r'<tr class="row-link"', row)
        links = re.findall(r"<a [^>]*>", row)
        assert links == [f'<a class="stretched-link" href="{reverse("appeals:case", args=[case.pk])}">']
    assert not re.search(r"\son[a-z]+=", html)  # no onclick and the like
    css = Path(str(finders.find("css/app.css"))).read_text(encoding="utf-8")
    assert "tr.row-link { position: relative;" in css
