from typing import Any

from dangjian.demo import beiliu
from dangjian.service.models import Flag, MemberRegistration, Post, ServiceRecord, VolunteerActivity
from dangjian.territory import geo


def test_the_demo_city_gets_registrations_posts_records_and_flags(db: Any) -> None:
    geo.invalidate()
    city = beiliu.build(residents=40, cases=5)
    geo.invalidate()
    assert MemberRegistration.objects.filter(county=city.county, status="confirmed").exists()
    assert Post.objects.filter(county=city.county).count() >= 6
    assert ServiceRecord.objects.filter(county=city.county, status="verified").exists()
    assert set(Flag.objects.filter(county=city.county).values_list("kind", flat=True)) >= {
        "photo_reuse",
        "overlap",
    }
    assert set(VolunteerActivity.objects.values_list("status", flat=True)) >= {"collected", "fed_back"}
