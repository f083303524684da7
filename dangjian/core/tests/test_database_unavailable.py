import pytest
from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from dangjian.core.middleware import DatabaseUnavailableMiddleware


def _down(request):
    raise OperationalError("connection refused")


@pytest.mark.django_db
def test_it_answers_503_with_retry_after_when_the_database_is_down():
    mw = DatabaseUnavailableMiddleware(_down)
    page = mw(RequestFactory().get("/appeals/report/"))
    api = mw(RequestFactory().post("/api/v1/appeals/cases"))
    assert page.status_code == api.status_code == 503
    assert page["Retry-After"] == api["Retry-After"] == "5"
    assert "数据库暂时不可用" in api.content.decode() and api["Content-Type"].startswith("application/json")


def test_it_passes_other_responses_and_errors_through():
    mw = DatabaseUnavailableMiddleware(lambda r: HttpResponse("ok"))
    assert mw(RequestFactory().get("/")).status_code == 200
    assert mw.process_exception(RequestFactory().get("/"), ValueError("x")) is None
