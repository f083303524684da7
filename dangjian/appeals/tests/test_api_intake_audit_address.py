"""The one-statement intake writes the client's address into its audit row too."""

from dangjian.accounts import actions as account_actions
from dangjian.core.models import AuditEvent


def test_it_records_the_address_of_an_api_submission(world, client, road):
    _, raw = account_actions.issue_token(user=world.resident, name="测试", acting_user=world.resident)
    r = client.post(
        "/api/v1/appeals/cases",
        data={
            "category": road.pk,
            "title": "路灯不亮",
            "description": "门口路灯坏了",
            "lng": 110.355,
            "lat": 22.705,
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}", "Idempotency-Key": "audit-address-1"},
        REMOTE_ADDR="203.0.113.21",
    )
    assert r.status_code == 201, r.content
    assert AuditEvent.objects.get(action="appeals.submit").ip == "203.0.113.21"
