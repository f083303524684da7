import pytest

from dangjian.points import actions
from dangjian.points.models import AppendOnlyError, Movement, Posting

pytestmark = pytest.mark.django_db


@pytest.fixture
def movement(world):
    return actions.award(
        rule="meeting", person=world.member_person, source=world.compound_a1, acting_user=None
    )


def test_it_refuses_to_save_a_movement_again(movement):
    movement.reason = "改过的事由"
    with pytest.raises(AppendOnlyError):
        movement.save()


def test_it_refuses_to_delete_movements_and_postings(movement):
    with pytest.raises(AppendOnlyError):
        movement.delete()
    with pytest.raises(AppendOnlyError):
        Movement.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        movement.postings.first().delete()
    with pytest.raises(AppendOnlyError):
        Posting.objects.filter(movement=movement).delete()


def test_it_refuses_bulk_updates(movement):
    with pytest.raises(AppendOnlyError):
        Movement.objects.filter(pk=movement.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        Posting.objects.filter(movement=movement).update(amount=1)
    posting = movement.postings.first()
    posting.amount = 99
    with pytest.raises(AppendOnlyError):
        posting.save()
    assert Movement.objects.get().reason == "参加组织生活"
