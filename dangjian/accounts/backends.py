"""Log-in by phone number and password."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from dangjian.accounts.models import User
from dangjian.core import crypto


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
        try:
            user = User.objects.get(phone_hash=crypto.lookup_hash("phone", raw))
        except User.DoesNotExist:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
