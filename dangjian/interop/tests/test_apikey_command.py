"""``dangjian apikey create|revoke|list``."""

import io

import pytest
from django.core.management import CommandError, call_command

from dangjian.core.models import AuditEvent
from dangjian.interop import actions
from dangjian.interop.models import ApiKey, hash_key


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("apikey", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_creates_a_key_and_prints_it_once(db):
    out, err = run("create", "12345 热线对接")
    raw = out.strip()
    key = ApiKey.objects.get()
    assert raw.startswith("o311_") and key.key_hash == hash_key(raw) and raw[5:13] == key.prefix
    assert key.name == "12345 热线对接" and "只显示这一次" in err
    assert raw not in str(AuditEvent.objects.get(action="interop.key.issue").after)
    assert actions.authenticate(raw) == key
    listing, _ = run("list")
    assert key.prefix in listing and "有效" in listing and raw not in listing


def test_it_revokes_by_prefix(db):
    raw = run("create", "测试客户端")[0].strip()
    prefix = ApiKey.objects.get().prefix
    out, _ = run("revoke", prefix)
    assert "已吊销" in out and ApiKey.objects.get().revoked_at is not None
    assert actions.authenticate(raw) is None
    assert AuditEvent.objects.filter(action="interop.key.revoke").count() == 1
    assert "已吊销" in run("list")[0]
    assert "已是吊销状态" in run("revoke", f"o311_{prefix}")[0]
    assert AuditEvent.objects.filter(action="interop.key.revoke").count() == 1


def test_it_refuses_bad_input(db):
    with pytest.raises(CommandError, match="没有前缀"):
        run("revoke", "nothere1")
    with pytest.raises(CommandError, match="客户端名称"):
        run("create", "   ")
    assert not ApiKey.objects.exists()
    assert "还没有密钥" in run("list")[0]


def test_the_dangjian_alias_reaches_it(db, capsys, monkeypatch):
    from django.db import connections

    from dangjian.__main__ import main

    # A command run from the command line closes every connection when it ends; here that
    # would be the test's own connection (inside its transaction on PostgreSQL).
    monkeypatch.setattr(connections, "close_all", lambda: None)
    main(["apikey", "create", "别名测试"])
    assert capsys.readouterr().out.strip().startswith("o311_")
    assert ApiKey.objects.filter(name="别名测试").exists()
