"""Query counts of the Open311 lists are fixed, whatever the number of rows.

(The live server answers on its own database connection, which the query counter does not
see, so these call the views in-process with a RequestFactory.)
"""

import json

import pytest
from django.test import RequestFactory

from dangjian.appeals import actions
from dangjian.appeals.open311 import views


def _rows(response):
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_it_lists_requests_in_one_query(world, report, django_assert_max_num_queries, fmt):
    for _ in range(6):
        actions.accept_case(report(), acting_user=world.grid_worker)
    request = RequestFactory().get(f"/open311/v2/requests.{fmt}")
    with django_assert_max_num_queries(1):
        response = views.service_requests(request, fmt=fmt)
    assert response.status_code == 200 and response.content.count(b"BL-") >= 6


def test_it_lists_updates_in_one_query(world, report, django_assert_max_num_queries):
    for _ in range(6):
        actions.accept_case(report(), acting_user=world.grid_worker)
    request = RequestFactory().get("/open311/v2/servicerequestupdates.json")
    with django_assert_max_num_queries(1):
        rows = _rows(views.service_request_updates(request, fmt="json"))
    assert len(rows) == 12


def test_it_lists_services_in_one_query(world, django_assert_max_num_queries):
    request = RequestFactory().get("/open311/v2/services.json")
    with django_assert_max_num_queries(1):
        rows = _rows(views.services(request, fmt="json"))
    assert len(rows) > 100
