"""The pages table (``core/pages.py``) covers the whole urlconf, so a new view cannot be forgotten.

Every named view of the site's own apps is either a page of the table (and guarded by
``@page`` with that very name) or listed in ``NOT_PAGES`` (partials, POST-only actions,
per-object pages, downloads). The Django admin, the JSON API and Open311 have their own
permission systems and are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dangjian.core import pages
from dangjian.core.pages import GROUPS, NOT_PAGES, PAGES, PAGES_BY_NAME

OWN_PERMISSIONS = {"admin", "api", "open311"}  # namespaces with their own checks
UNNAMED_OK = {"favicon.ico"}


def _views(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, Any]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in OWN_PERMISSIONS:
                continue
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _views(entry, ns)
        elif isinstance(entry, URLPattern):
            yield (f"{prefix}{entry.name}" if entry.name else str(entry.pattern)), entry.callback


def site_views() -> dict[str, Any]:
    return {name: view for name, view in _views(get_resolver()) if name not in UNNAMED_OK}


def test_every_view_is_a_page_or_listed_as_not_one() -> None:
    names = set(site_views()) - {"bench-insert"}
    forgotten = names - set(PAGES_BY_NAME) - NOT_PAGES
    assert forgotten == set(), "add these to core/pages.py: PAGES or NOT_PAGES"


def test_nothing_is_both_or_stale() -> None:
    names = set(site_views())
    assert set(PAGES_BY_NAME) & NOT_PAGES == set()
    assert NOT_PAGES - names == set(), "NOT_PAGES names no view"
    assert len(PAGES_BY_NAME) == len(PAGES), "a page is listed twice"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_page_reverses_and_is_guarded_by_its_rule(page: pages.Page) -> None:
    assert reverse(page.name).startswith("/")
    view = site_views()[page.name]
    assert getattr(view, "page_name", None) == page.name, f"decorate the view with @page({page.name!r})"
    assert page.group in GROUPS and page.label and page.icon


def test_a_page_rule_answers_404_through_the_decorator(rf: Any) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404, HttpResponse

    @pages.page("interop:keys")
    def view(request: Any) -> HttpResponse:
        return HttpResponse("ok")

    class Resident:
        is_authenticated = True
        is_superuser = False
        roles: list[str] = []
        person_id = 1

    request = rf.get("/")
    request.user = AnonymousUser()
    assert view(request).status_code == 302  # to the login page
    request.user = Resident()
    with pytest.raises(Http404):
        view(request)
    with pytest.raises(Http404):
        pages.require_page(Resident(), "interop:keys")
    pages.require_page(Resident(), "dashboard:home")
