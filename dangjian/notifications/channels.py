"""External delivery channels behind one interface: ``Channel.send(user, message)``.

A message is anything with ``kind``, ``title``, ``body`` and ``url`` — a :class:`Notification`
or a daily :class:`Digest`. ``send`` returns nothing and raises :class:`DeliveryError` with a
Chinese reason. Which channels exist is the ``NOTIFICATION_CHANNELS`` setting; a channel whose
configuration is missing (e.g. SMS without a gateway) is simply not available.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from dangjian.core import crypto


class DeliveryError(Exception):
    """A channel could not deliver; the message is the reason shown to operators."""


class Message(Protocol):
    kind: str
    title: str
    body: str
    url: str


@dataclass
class Digest:
    """One summary of several notifications, sent through the same channels."""

    kind: str
    title: str
    body: str
    url: str


def absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL + url


def plain_text(message: Message) -> str:
    parts = [message.title]
    if message.body:
        parts.append(message.body)
    if message.url:
        parts.append(absolute(message.url))
    return "\n".join(parts)


def preference_of(user: Any) -> Any:
    from dangjian.notifications.models import Preference

    try:
        return user.notification_preference
    except Preference.DoesNotExist:
        return None


class Channel:
    name: ClassVar[str]
    label: ClassVar[str]
    # Development channels need nothing from the user and are on by default.
    development: ClassVar[bool] = False

    def available(self) -> bool:
        """Configured well enough to be offered at all."""
        return True

    def ready_for(self, user: Any, preference: Any) -> bool:
        """The user has given what this channel needs (an address, a webhook)."""
        return True

    def send(self, user: Any, message: Message) -> None:
        raise NotImplementedError


class ConsoleChannel(Channel):
    name = "console"
    label = "控制台（开发）"
    development = True

    def send(self, user: Any, message: Message) -> None:
        print(f"[通知 → {user.name}] {plain_text(message)}", file=sys.stdout, flush=True)


class FileChannel(Channel):
    name = "file"
    label = "日志文件（开发）"
    development = True

    def send(self, user: Any, message: Message) -> None:
        path = settings.NOTIFICATION_FILE_PATH
        line = {
            "at": timezone.now().isoformat(),
            "user_id": user.pk,
            "user": user.name,
            "kind": message.kind,
            "title": message.title,
            "body": message.body,
            "url": absolute(message.url),
        }
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise DeliveryError(f"写入通知日志失败：{exc}") from exc


class EmailChannel(Channel):
    name = "email"
    label = "电子邮件"

    def ready_for(self, user: Any, preference: Any) -> bool:
        return bool(preference.email)

    def send(self, user: Any, message: Message) -> None:
        preference = preference_of(user)
        email = preference.email if preference else ""
        if not email:
            raise DeliveryError("未设置电子邮箱")
        try:
            send_mail(
                subject=f"【{settings.PLATFORM_NAME}】{message.title}",
                message=plain_text(message),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[email],
            )
        except Exception as exc:  # noqa: BLE001 - SMTP and backend errors vary
            raise DeliveryError(f"邮件发送失败：{exc}") from exc


def post_json(url: str, payload: dict[str, Any], *, headers: dict[str, str] | None = None) -> bytes:
    """POST JSON with a timeout; any transport error or non-2xx answer is a DeliveryError."""
    if not url.startswith(("https://", "http://")):
        raise DeliveryError("地址必须以 http:// 或 https:// 开头")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.NOTIFICATION_HTTP_TIMEOUT) as response:  # noqa: S310
            return response.read()
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"对方返回 HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryError(f"无法连接：{reason}") from exc


class SmsChannel(Channel):
    """An SMS gateway taking ``{"phone", "content"}`` as JSON with a bearer token."""

    name = "sms"
    label = "短信"

    def available(self) -> bool:
        return bool(settings.SMS_GATEWAY_URL)

    def send(self, user: Any, message: Message) -> None:
        if not self.available():
            raise DeliveryError("短信网关未配置")
        phone = crypto.decrypt(user.phone_enc)  # plain text only here, never stored or logged
        content = f"【{settings.PLATFORM_NAME}】{message.title}"
        if message.url:
            content += " " + absolute(message.url)
        headers = (
            {"Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"} if settings.SMS_GATEWAY_TOKEN else {}
        )
        post_json(settings.SMS_GATEWAY_URL, {"phone": phone, "content": content}, headers=headers)


def valid_wecom_webhook(url: str) -> bool:
    prefix = settings.WECOM_WEBHOOK_PREFIX
    return url.startswith(prefix) and len(url) > len(prefix) and not any(c.isspace() for c in url)


class WeComRobotChannel(Channel):
    """A WeChat Work (企业微信) group robot: markdown to the user's webhook."""

    name = "wecom"
    label = "企业微信群机器人"

    def ready_for(self, user: Any, preference: Any) -> bool:
        return bool(preference.wecom_webhook)

    def send(self, user: Any, message: Message) -> None:
        preference = preference_of(user)
        url = preference.wecom_webhook if preference else ""
        if not valid_wecom_webhook(url):
            raise DeliveryError("企业微信机器人地址无效或未设置")
        lines = [f"**{message.title}**"]
        if message.body:
            lines += [f"> {line}" for line in message.body.splitlines() if line.strip()]
        if message.url:
            lines.append(f"[查看详情]({absolute(message.url)})")
        raw = post_json(url, {"msgtype": "markdown", "markdown": {"content": "\n".join(lines)}})
        try:
            answer = json.loads(raw or b"{}")
        except ValueError:
            answer = {}
        if isinstance(answer, dict) and answer.get("errcode", 0) != 0:
            raise DeliveryError(f"企业微信返回错误 {answer.get('errcode')}：{answer.get('errmsg', '')}")


BACKENDS: dict[str, type[Channel]] = {
    c.name: c for c in (ConsoleChannel, FileChannel, EmailChannel, SmsChannel, WeComRobotChannel)
}


def configured() -> dict[str, Channel]:
    """The channels named in ``NOTIFICATION_CHANNELS`` that are available, in that order."""
    result: dict[str, Channel] = {}
    for name in settings.NOTIFICATION_CHANNELS:
        backend = BACKENDS.get(name)
        if backend is None:
            continue  # reported by the system check
        channel = backend()
        if channel.available():
            result[name] = channel
    return result


def default_channels() -> list[str]:
    """What a user who never chose gets: the development channels, if enabled."""
    return [name for name, channel in configured().items() if channel.development]
