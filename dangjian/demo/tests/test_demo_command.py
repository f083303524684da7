"""`dangjian demo --if-empty` builds once and is idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dangjian.core.models import AuditEvent
from dangjian.territory.models import Node


def test_it_builds_once_with_if_empty(db, capsys):
    call_command("demo", "--if-empty", "--residents", "20")
    first = capsys.readouterr().out
    assert "18807750005" in first and "完成" in first
    nodes, events = Node.objects.count(), AuditEvent.objects.count()
    call_command("demo", "--if-empty", "--residents", "20")
    assert "跳过" in capsys.readouterr().out
    assert (Node.objects.count(), AuditEvent.objects.count()) == (nodes, events)
    with pytest.raises(CommandError, match="已存在"):
        call_command("demo", "--residents", "20")


def test_it_leaves_an_existing_city_alone(world, capsys):
    nodes = Node.objects.count()
    call_command("demo", "--if-empty")
    assert Node.objects.count() == nodes
