"""Log-in records are kept for LOGIN_ATTEMPT_RETENTION_DAYS, then a daily job deletes them."""

from datetime import timedelta

from django.utils import timezone

from dangjian.accounts import actions
from dangjian.accounts.models import LoginAttempt
from dangjian.accounts.tasks import prune_login_attempts


def record(days_ago):
    row = LoginAttempt.objects.create(phone_hash="h", ip="198.51.100.1", outcome="failed")
    LoginAttempt.objects.filter(pk=row.pk).update(at=timezone.now() - timedelta(days=days_ago))
    return row


def test_it_deletes_only_records_past_their_retention(db, settings):
    settings.LOGIN_ATTEMPT_RETENTION_DAYS = 180
    kept, gone = record(179), record(181)
    assert prune_login_attempts.call() == {"deleted": 1}
    assert list(LoginAttempt.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not LoginAttempt.objects.filter(pk=gone.pk).exists()


def test_it_never_deletes_what_the_throttle_still_reads(db, settings):
    settings.LOGIN_ATTEMPT_RETENTION_DAYS = 1
    settings.LOGIN_KNOWN_ADDRESS_DAYS = 30
    kept = record(29)
    assert actions.prune_login_attempts() == 0
    assert LoginAttempt.objects.get().pk == kept.pk
