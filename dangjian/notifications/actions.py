"""Every write of the notification centre.

Other apps call :func:`notify` inside their own actions; external delivery runs after the
commit in the worker (:mod:`dangjian.notifications.tasks`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from dangjian.core import audit
from dangjian.notifications import channels as ch
from dangjian.notifications.choices import DeliveryStatus, Mode
from dangjian.notifications.models import Delivery, Notification, Preference

KIND_RE = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_-]+)*$")


def preference_for(user: Any) -> Preference:
    """The user's preference, or the unsaved default (realtime, development channels)."""
    pref = ch.preference_of(user)
    if pref is None:
        pref = Preference(user=user, channels=ch.default_channels())
    return pref


def external_channels(user: Any, pref: Preference) -> list[str]:
    """Enabled, configured channels for which the user gave what is needed."""
    available = ch.configured()
    return [n for n in pref.channels if n in available and available[n].ready_for(user, pref)]


def _check_url(url: str) -> None:
    if (
        url
        and not (url.startswith("/") and not url.startswith("//"))
        and not url.startswith(("https://", "http://"))
    ):
        raise ValueError(f"notification url must be a site path or http(s) URL, got {url!r}")


@transaction.atomic
def notify(
    *,
    users: Iterable[Any],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str | None = None,
) -> list[Notification]:
    """Notify each user in-app, once per ``dedupe_key``; realtime users also get their
    external channels after the commit. Returns the notifications created (not the skipped)."""
    if not KIND_RE.match(kind):
        raise ValueError(f"notification kind must be a dotted slug, got {kind!r}")
    title = title.strip()
    if not title:
        raise ValueError("notification title is empty")
    _check_url(url)
    recipients = list({u.pk: u for u in users if u is not None and u.pk}.values())
    if dedupe_key:
        already = set(
            Notification.objects.filter(user__in=recipients, dedupe_key=dedupe_key).values_list(
                "user_id", flat=True
            )
        )
        recipients = [u for u in recipients if u.pk not in already]
    if not recipients:
        return []
    now = timezone.now()
    created: list[Notification] = []
    for user in recipients:
        row = Notification(
            user=user, kind=kind, title=title[:200], body=body, url=url, created_at=now, dedupe_key=dedupe_key
        )
        try:
            with transaction.atomic():  # a concurrent notify of the same event may have won
                row.save(force_insert=True)
        except IntegrityError:
            if dedupe_key and Notification.objects.filter(user=user, dedupe_key=dedupe_key).exists():
                continue
            raise
        created.append(row)

    prefs = {p.user_id: p for p in Preference.objects.filter(user__in=[n.user_id for n in created])}
    to_deliver = []
    for n in created:
        pref = prefs.get(n.user_id) or Preference(user=n.user, channels=ch.default_channels())
        if pref.mode == Mode.REALTIME and external_channels(n.user, pref):
            to_deliver.append(n.pk)
    if to_deliver:
        transaction.on_commit(lambda: _enqueue(to_deliver))
    return created


def _enqueue(ids: list[int]) -> None:
    from dangjian.notifications.tasks import deliver_notification

    for pk in ids:
        deliver_notification.enqueue(pk)


def mark_read(user: Any, ids: Iterable[int] | Literal["all"]) -> int:
    """Mark the user's own notifications read (others' ids are ignored). Returns the count."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids != "all":
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def _audit_view(pref: Preference) -> dict[str, Any]:
    # The webhook key is a secret: the audit trail keeps only that one was set.
    return {
        "mode": pref.mode,
        "digest_hour": pref.digest_hour,
        "channels": list(pref.channels),
        "email": pref.email,
        "wecom_webhook": "（已设置）" if pref.wecom_webhook else "",
    }


@transaction.atomic
def set_preference(
    user: Any,
    *,
    mode: str,
    digest_hour: int,
    channels: Iterable[str],
    email: str = "",
    wecom_webhook: str = "",
    acting_user: Any,
) -> Preference:
    email, wecom_webhook = (email or "").strip(), (wecom_webhook or "").strip()
    chosen = list(dict.fromkeys(c.strip() for c in channels if c and c.strip()))
    available = ch.configured()
    errors: dict[str, str] = {}
    if mode not in Mode.values:
        errors["mode"] = "推送方式只能是“实时推送”或“每日汇总”"
    if not isinstance(digest_hour, int) or not 0 <= digest_hour <= 23:
        errors["digest_hour"] = "汇总时间应为 0 到 23 点之间的整点"
    unknown = [c for c in chosen if c not in available]
    if unknown:
        errors["channels"] = "未知或未开通的通知渠道：" + "、".join(unknown)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "电子邮箱格式不正确"
    elif "email" in chosen:
        errors["email"] = "启用邮件通知须填写电子邮箱"
    if wecom_webhook:
        if not ch.valid_wecom_webhook(wecom_webhook):
            errors["wecom_webhook"] = (
                "企业微信机器人地址须为 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… 的形式"
            )
    elif "wecom" in chosen:
        errors["wecom_webhook"] = "启用企业微信通知须填写群机器人地址"
    if errors:
        raise ValidationError(errors)

    pref, _ = Preference.objects.select_for_update().get_or_create(
        user=user, defaults={"channels": ch.default_channels()}
    )
    before = _audit_view(pref)
    pref.mode, pref.digest_hour, pref.channels = mode, digest_hour, chosen
    pref.email, pref.wecom_webhook = email, wecom_webhook
    pref.save()
    audit.record(acting_user, "notifications.preference.set", pref, before=before, after=_audit_view(pref))
    return pref


# --- delivery (run by the worker) ------------------------------------------------------


def _send_once(delivery: Delivery, channel: ch.Channel, user: Any, message: ch.Message) -> str:
    """One attempt, claimed with a compare-and-swap on ``attempts`` so that two workers
    never both send. Returns the resulting status."""
    claimed = (
        Delivery.objects.filter(pk=delivery.pk, attempts=delivery.attempts)
        .exclude(status=DeliveryStatus.SENT)
        .update(attempts=F("attempts") + 1, status=DeliveryStatus.QUEUED)
    )
    if not claimed:
        return Delivery.objects.get(pk=delivery.pk).status
    try:
        channel.send(user, message)
    except ch.DeliveryError as exc:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, last_error=str(exc)[:2000]
        )
        return DeliveryStatus.FAILED
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return DeliveryStatus.SENT


def deliver(notification_id: int) -> dict[str, str]:
    """Send one notification through the recipient's external channels.

    Idempotent: a channel already ``sent`` is never sent again; a ``failed`` one is retried
    on a re-run until ``NOTIFICATION_MAX_ATTEMPTS``. Returns ``{channel: status}``.
    """
    n = (
        Notification.objects.select_related("user", "user__notification_preference")
        .filter(pk=notification_id)
        .first()
    )
    if n is None:
        return {}
    pref = preference_for(n.user)
    if pref.mode != Mode.REALTIME:
        return {}
    available = ch.configured()
    result: dict[str, str] = {}
    for name in external_channels(n.user, pref):
        delivery, _ = Delivery.objects.get_or_create(notification=n, channel=name)
        if delivery.status == DeliveryStatus.SENT or delivery.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            result[name] = delivery.status
            continue
        result[name] = _send_once(delivery, available[name], n.user, n)
    return result


def _digest_message(items: list[Notification]) -> ch.Digest:
    lines = [f"{i}. {n.title}" for i, n in enumerate(items[:20], start=1)]
    if len(items) > 20:
        lines.append(f"……另有 {len(items) - 20} 条")
    return ch.Digest(
        kind="notifications.digest",
        title=f"消息汇总：{len(items)} 条未读",
        body="\n".join(lines),
        url="/notifications/",
    )


def send_digests(*, now: datetime | None = None) -> int:
    """Send each digest-mode user whose hour has come one summary of their unread,
    not yet digested notifications — at most once a day. Returns how many users got one."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    start_of_day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    due = (
        Preference.objects.filter(mode=Mode.DIGEST, digest_hour__lte=local.hour)
        .filter(Q(last_digest_at__isnull=True) | Q(last_digest_at__lt=start_of_day))
        .filter(
            user__notifications__read_at__isnull=True,
            user__notifications__digest_sent_at__isnull=True,
            user__is_active=True,
        )
        .select_related("user")
        .distinct()
    )
    available = ch.configured()
    sent_users = 0
    for pref in due:
        items = list(
            Notification.objects.filter(
                user=pref.user, read_at__isnull=True, digest_sent_at__isnull=True, created_at__lte=now
            )
            .exclude(deliveries__status=DeliveryStatus.SENT)
            .order_by("-created_at", "-id")
        )
        if not items:
            continue
        # Claim the day for this user: a second run (or a second worker) finds nothing to do.
        if not Preference.objects.filter(pk=pref.pk, last_digest_at=pref.last_digest_at).update(
            last_digest_at=now
        ):
            continue
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(digest_sent_at=now)
        message = _digest_message(items)
        user = pref.user
        user.notification_preference = pref
        for name in external_channels(user, pref):
            try:
                available[name].send(user, message)
            except ch.DeliveryError as exc:
                status, error, sent_at = DeliveryStatus.FAILED, str(exc)[:2000], None
            else:
                status, error, sent_at = DeliveryStatus.SENT, "", now
            Delivery.objects.bulk_create(
                [
                    Delivery(
                        notification=n,
                        channel=name,
                        status=status,
                        attempts=1,
                        last_error=error,
                        sent_at=sent_at,
                    )
                    for n in items
                ],
                ignore_conflicts=True,
            )
        sent_users += 1
    return sent_users
