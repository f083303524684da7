"""A person reads what a notification is about in Chinese — never its internal kind code
(needs.fulfil, appeal.verify_pass, appeal.task_escalated …): in the inbox, in the API's
label, and in the admin."""

import re
from pathlib import Path

from django.conf import settings

from dangjian.appeals.choices import Event as AppealEvent
from dangjian.needs.choices import Event as NeedEvent
from dangjian.notifications import kinds
from dangjian.notifications.actions import notify

LITERAL_KIND = re.compile(r"""kind=["']([a-z_]+\.[a-z_-]+)["']""")


def kinds_the_code_sends() -> set[str]:
    """Every kind passed to notify(): the literal ones in the sources, and the f-string
    ones of the appeals (``appeal.{event}``) and needs (``needs.{event}``) fan-outs."""
    found = {f"appeal.{e.value}" for e in AppealEvent} | {f"needs.{e.value}" for e in NeedEvent}
    found.add("needs.submit")
    for path in Path(settings.BASE_DIR, "dangjian").rglob("*.py"):
        if "tests" in path.parts:
            continue
        found.update(LITERAL_KIND.findall(path.read_text(encoding="utf-8")))
    return found


def test_it_finds_the_kinds_the_code_sends():
    sent = kinds_the_code_sends()
    assert {"appeal.task_escalated", "appeal.supervise", "needs.unclaimed", "service.person"} <= sent


def test_it_names_every_kind_in_chinese():
    for kind in kinds_the_code_sends():
        name = kinds.label(kind)
        assert kind in kinds.registered(), f"{kind} 没有中文名称"
        assert not re.search(r"[A-Za-z]", name), (kind, name)


def test_it_never_shows_an_unknown_code():
    assert kinds.label("appeal.something_new") == "诉求消息"
    assert kinds.label("nobody.knows") == "系统消息"


def test_it_shows_labels_not_codes_in_the_inbox(world, login):
    sent = sorted(kinds_the_code_sends())
    for i, kind in enumerate(sent):
        notify(users=[world.resident], kind=kind, title=f"第{i}条消息", url="/")
    client = login(world.resident)
    html = "".join(client.get(f"/notifications/?page={n}").content.decode() for n in (1, 2, 3))
    assert "第0条消息" in html
    for kind in sent:
        assert kind not in html, f"收件箱显示了内部代码 {kind}"
    for kind in ("needs.fulfil", "appeal.verify_pass", "appeal.task_escalated"):
        assert kinds.label(kind) in html
    assert "心愿完成并上传凭证" in html and "报到超时督促" in html


def test_it_gives_the_api_a_label_beside_the_code(world, login):
    notify(users=[world.resident], kind="appeal.verify_pass", title="您反映的问题已办结，请评价")
    item = login(world.resident).get("/api/v1/notifications").json()["items"][0]
    assert item["kind"] == "appeal.verify_pass" and item["kind_label"] == "诉求核查通过（办结）"
