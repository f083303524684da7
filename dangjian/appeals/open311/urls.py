from django.urls import re_path

from dangjian.appeals.open311 import views
from dangjian.appeals.open311.keys import refuse_key_in_query as k

app_name = "open311"
FMT = r"\.(?P<fmt>json|xml)$"
urlpatterns = [
    re_path(r"^discovery" + FMT, k(views.discovery), name="discovery"),
    re_path(r"^services" + FMT, k(views.services), name="services"),
    re_path(r"^services/(?P<code>[\w.\-]+?)" + FMT, k(views.service_definition), name="service"),
    re_path(r"^requests" + FMT, k(views.service_requests), name="requests"),
    re_path(r"^requests/(?P<request_id>[\w\-]+)" + FMT, k(views.service_request), name="request"),
    re_path(
        r"^requests/(?P<request_id>[\w\-]+)/updates" + FMT, k(views.request_updates), name="request_updates"
    ),
    re_path(r"^tokens/(?P<token>[\w:\-]+)" + FMT, k(views.token), name="token"),
    re_path(r"^servicerequestupdates" + FMT, k(views.service_request_updates), name="updates"),
]
