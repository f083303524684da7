from dangjian.core import crypto
from dangjian.core.actions import do_reveal
from dangjian.core.models import AuditEvent, RevealLog
from dangjian.people.models import Person
from dangjian.territory import geo
from dangjian.territory.models import Node


def test_it_restricts_people_to_the_users_part_of_the_tree(world):
    w = world
    names = lambda u: set(Person.objects.restrict(u, "view").values_list("name", flat=True))  # noqa: E731
    assert "黄丽" in names(w.admin) and "李秀英" in names(w.admin)
    assert "李秀英" in names(w.street_officer) and "黄丽" not in names(w.street_officer)
    assert "黄丽" in names(w.outsider) and "李秀英" not in names(w.outsider)
    assert names(w.grid_worker) >= {"李秀英", "陈建华"} and "黄丽" not in names(w.grid_worker)
    assert names(w.resident) == {"李秀英"}
    assert names(w.member) == {"陈建华"}


def test_it_stores_personal_data_encrypted_and_masked(world):
    p = Person.objects.get(name="李秀英")
    assert p.phone_masked == "138****1234"
    assert "13800001234" not in p.phone_enc and p.phone_enc.startswith("k0:")
    assert p.id_number_masked == "4509**********1236"
    assert crypto.decrypt(p.id_number_enc) == "450981198001011236"
    assert all("13800001234" not in str(e.after) for e in AuditEvent.objects.all())


def test_it_logs_every_reveal_and_refuses_outside_scope(world):
    p = Person.objects.get(name="李秀英")
    assert do_reveal(p, "phone", acting_user=world.street_officer, reason="联系居民") == "13800001234"
    assert (
        RevealLog.objects.filter(actor=world.street_officer, object_id=str(p.pk), field="phone").count() == 1
    )
    import pytest

    from dangjian.core.access import ScopeError

    with pytest.raises(ScopeError):
        do_reveal(p, "phone", acting_user=world.outsider)
    assert RevealLog.objects.count() == 1


def test_it_locates_points_to_grids(world):
    assert geo.locate(110.355, 22.705) == world.grid_a1
    assert geo.locate(110.365, 22.705) == world.grid_a2
    assert geo.locate(111.0, 23.0) is None
    assert Node.objects.get(pk=world.grid_a1.pk).code == "450981001001001"
