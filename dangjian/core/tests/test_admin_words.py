"""The admin speaks Chinese: every app and model on its index page, and every changelist's
title, breadcrumbs and column headers, as the superuser sees them. Codes that are data (a
task's path, a case number) may appear in the rows; a label never is English."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from dangjian.accounts.models import User

CJK = re.compile(r"[\u4e00-\u9fff]")
TAG = re.compile(r"(?s)<[^>]+>")


def text(html: str) -> str:
    return " ".join(TAG.sub(" ", html).split())


def first(pattern: str, html: str) -> str:
    match = re.search(pattern, html)
    assert match is not None, pattern
    return text(match.group(1))


def english_only(label: str) -> bool:
    return bool(re.search(r"[A-Za-z]", label)) and not CJK.search(label)


@pytest.fixture
def root_client(db, client):
    root = User.objects.create_superuser(phone="13000000009", password="Dangjian#2026")
    client.force_login(root)
    return client


def test_it_names_every_app_and_model_on_the_index_in_chinese(root_client):
    html = root_client.get(reverse("admin:index")).content.decode()
    apps = [text(c) for c in re.findall(r"(?s)<caption>(.*?)</caption>", html)]
    models = [text(m) for m in re.findall(r'(?s)<th scope="row"[^>]*>(.*?)</th>', html)]
    assert len(apps) > 10 and len(models) > 30
    assert "后台任务" in apps
    assert [a for a in apps if english_only(a)] == []
    assert [m for m in models if english_only(m)] == []


def test_it_names_every_changelist_and_its_columns_in_chinese(root_client):
    bad: list[str] = []
    for model in admin.site._registry:
        meta = model._meta
        for name in (meta.verbose_name, meta.verbose_name_plural, meta.app_config.verbose_name):
            if not CJK.search(str(name)):
                bad.append(f"{meta.label}: {name}")
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        response = root_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        title = first(r"(?s)<title>(.*?)</title>", html)
        crumbs = first(r'(?s)<div class="breadcrumbs">(.*?)</div>', html)
        heads = [text(h) for h in re.findall(r'(?s)<th scope="col"[^>]*>(.*?)</th>', html)]
        for label in [title, crumbs, *heads]:
            if english_only(label):
                bad.append(f"{url}: {label}")
    assert sorted(set(bad)) == []
