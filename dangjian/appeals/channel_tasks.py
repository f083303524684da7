"""Background work of the appeal channels, run by ``db_worker``: a large 12345 import, and the
SMS that carries a case's private tracking link to a reporter without an account."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django_tasks import task

from dangjian.appeals import events, hotline_jobs, link_actions
from dangjian.appeals.models import Case
from dangjian.notifications import channels

log = logging.getLogger(__name__)


@dataclass
class _PhoneOnly:
    """A recipient that is only a sealed phone number (the SMS channel reads ``phone_enc``)."""

    phone_enc: str
    name: str = "反映人"
    pk: None = None


@task()
def run_hotline_import(job_id: int) -> str:
    return hotline_jobs.run_hotline_job(job_id).status


@task()
def send_link_sms(case_id: int) -> str:
    """Send the tracking link; returns ``sent`` or the reason it was not sent."""
    case = (
        Case.objects.filter(pk=case_id)
        .only("id", "number", "status", "tracking_token", "contact_phone_enc")
        .first()
    )
    if case is None or not case.contact_phone_enc:
        return "skipped: no phone"
    message = channels.Digest(
        kind="appeal.link", title=link_actions.link_sms_text(case), body="", url=events.reporter_url(case)
    )
    try:
        channels.SmsChannel().send(_PhoneOnly(phone_enc=case.contact_phone_enc), message)
    except channels.DeliveryError as exc:
        log.warning("tracking link SMS for case %s not sent: %s", case_id, exc)
        return f"failed: {exc}"
    return "sent"
