"""Log-in by phone number and password — the one place a password is checked.

Every way in (``/accounts/login/``, ``/admin/login/``, any API endpoint or command that calls
``django.contrib.auth.authenticate``) goes through :class:`PhoneBackend`, so all of them
share one throttle (``accounts.actions.login_block_seconds``): while a phone or an address
is blocked the password is not even checked, the attempt is recorded as refused, and the
caller can read the wait from :func:`blocked_for`.
"""

from __future__ import annotations

import math
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from dangjian.accounts import actions
from dangjian.accounts.models import LoginAttempt, User
from dangjian.core import crypto
from dangjian.core.clientip import client_ip

_BLOCKED_ATTR = "_login_blocked_seconds"


def blocked_for(request: HttpRequest | None) -> int:
    """Seconds the last log-in attempt of this request was refused for (0 = it was not)."""
    return getattr(request, _BLOCKED_ATTR, 0) if request is not None else 0


def throttled_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return f"登录失败次数过多，请 {minutes} 分钟后再试"


class PhoneBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        phone: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        raw = phone or username or kwargs.get("phone_hash") or ""
        if not raw or password is None:
            return None
        phone_hash = crypto.lookup_hash("phone", crypto.normalise_phone(raw))
        ip = client_ip(request) if request is not None else None
        entry = request.path if request is not None else ""

        def record(outcome: str) -> None:
            actions.record_login_attempt(phone_hash=phone_hash, ip=ip, outcome=outcome, entry=entry)

        wait = actions.login_block_seconds(phone_hash=phone_hash, ip=ip)
        if wait:
            record(LoginAttempt.Outcome.REFUSED)
            if request is not None:
                setattr(request, _BLOCKED_ATTR, wait)
            # Stops authenticate() at once: no other backend gets to check the password.
            raise PermissionDenied(throttled_message(wait))
        user = self._check(phone_hash, password)
        record(LoginAttempt.Outcome.SUCCEEDED if user is not None else LoginAttempt.Outcome.FAILED)
        return user

    def _check(self, phone_hash: str, password: str) -> User | None:
        try:
            user = User.objects.get(phone_hash=phone_hash)
        except User.DoesNotExist:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
