"""Authentication for the JSON API, the caller's own profile and their API tokens.

Two ways in, tried in order: ``Authorization: Bearer <令牌>`` against :class:`ApiToken`
(only its SHA-256 is stored), then the Django session (with the CSRF check on unsafe
methods). Both leave the user on ``request.auth_user``; endpoints read it through
:func:`auth_user`.
"""

import copy
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from dangjian.accounts import actions
from dangjian.accounts.models import ApiToken, RoleAssignment, User, hash_token
from dangjian.accounts.roles import Role

# ``last_used_at`` is written at most this often per token (one UPDATE, not one per request).
TOKEN_TOUCH_SECONDS = 60


def auth_user(request: HttpRequest) -> User:
    """The authenticated user of an API request (set by the auth classes below)."""
    return request.auth_user  # type: ignore[attr-defined]


class TokenAuth(HttpBearer):
    """``Authorization: Bearer dj_…``: a live (not revoked) token of an active user.

    Each process keeps what a token resolved to — the user and their active role
    assignments — for ``API_AUTH_CACHE_SECONDS`` (default 2; 0 turns it off), so a client
    sending many requests costs those two queries once every couple of seconds instead of
    on every request. Any save or delete of a token, user, role assignment or node in this
    process empties the cache at once; other processes see a revoked token, a deactivated
    user or a changed role at most that many seconds later."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        token = token.strip()
        if not token:
            return None
        key = hash_token(token)
        now = time.monotonic()
        hit = _resolved.get(key)
        if hit is None or now - hit.at >= settings.API_AUTH_CACHE_SECONDS:
            row = (
                ApiToken.objects.select_related("user")
                .filter(key_hash=key, revoked_at__isnull=True, user__is_active=True)
                .first()
            )
            if row is None:
                _resolved.pop(key, None)
                return None
            row.user.active_assignments()  # loaded once, kept with the user
            hit = _Resolved(at=now, token_id=row.pk, last_used_at=row.last_used_at, user=row.user)
            if settings.API_AUTH_CACHE_SECONDS > 0:
                if len(_resolved) >= _RESOLVED_MAX:
                    _resolved.clear()
                _resolved[key] = hit
        wall = timezone.now()
        if hit.last_used_at is None or wall - hit.last_used_at >= timedelta(seconds=TOKEN_TOUCH_SECONDS):
            # Bookkeeping, not a business write: no audit row, and a plain UPDATE.
            ApiToken.objects.filter(pk=hit.token_id).update(last_used_at=wall)
            hit.last_used_at = wall
        user = copy.copy(hit.user)  # this request's own instance (Django copies its state)
        request.auth_user = user  # type: ignore[attr-defined]
        request.auth_token_id = hit.token_id  # type: ignore[attr-defined]
        return user


@dataclass
class _Resolved:
    at: float  # time.monotonic() of the look-up
    token_id: int
    last_used_at: datetime | None
    user: User


_resolved: dict[str, _Resolved] = {}
_RESOLVED_MAX = 10_000


def forget_tokens(**_: Any) -> None:
    """Empty the per-process token cache (connected to saves and deletes in apps.py)."""
    _resolved.clear()


class SessionAuth(APIKeyCookie):
    """The browser's Django session; unsafe methods must carry the CSRF token.

    Unlike ninja's ``django_auth`` the CSRF check runs only for a logged-in session, so an
    anonymous POST answers 401 (not 403).
    """

    param_name: str = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> User | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, "CSRF 校验失败，请刷新页面后重试")
        request.auth_user = user  # type: ignore[attr-defined]
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:  # pragma: no cover - unused
        return None


token_auth = TokenAuth()
session_auth = SessionAuth()

router = Router(tags=["账号"])


class NodeBrief(Schema):
    id: int = Field(..., description="区域节点编号")
    name: str = Field(..., description="名称")
    level: str = Field(..., description="层级（city/county/street/community/grid/…）")
    code: str = Field(..., description="区域编码")


class RoleOut(Schema):
    role: str = Field(..., description="角色代码")
    role_label: str = Field(..., description="角色名称")
    title: str = Field(..., description="职务")
    node: NodeBrief | None = Field(None, description="管辖范围（区域节点）")

    @staticmethod
    def resolve_role_label(obj: RoleAssignment) -> str:
        return str(Role(obj.role).label)


class MeOut(Schema):
    id: int = Field(..., description="用户编号")
    name: str = Field(..., description="姓名")
    phone_masked: str = Field(..., description="手机号（脱敏）")
    is_superuser: bool = Field(..., description="平台管理员")
    primary_role: str = Field(..., description="主要角色")
    person_id: int | None = Field(None, description="关联的人员档案编号")
    roles: list[RoleOut] = Field(..., description="角色分配及其管辖范围")


class TokenIn(Schema):
    name: str = Field(..., max_length=60, description="令牌名称，如“12345 热线对接”")


class TokenOut(Schema):
    id: int = Field(..., description="令牌编号")
    name: str = Field(..., description="名称")
    prefix: str = Field(..., description="前缀（用于辨认，不能用于认证）")
    created_at: datetime = Field(..., description="创建时间")
    last_used_at: datetime | None = Field(None, description="最近使用时间（每分钟最多更新一次）")
    revoked_at: datetime | None = Field(None, description="吊销时间")


class TokenCreatedOut(TokenOut):
    key: str = Field(..., description="完整令牌，仅此一次返回，请妥善保存")


@router.get("/me", response=MeOut, summary="当前用户")
def me(request: HttpRequest) -> dict[str, Any]:
    user = auth_user(request)
    assignments = list(
        RoleAssignment.objects.filter(user=user, active=True).select_related("node").order_by("id")
    )
    return {
        "id": user.pk,
        "name": user.name,
        "phone_masked": user.phone_masked,
        "is_superuser": user.is_superuser,
        "primary_role": str(user.primary_role),
        "person_id": user.person_id,
        "roles": assignments,
    }


@router.get("/tokens", response=list[TokenOut], summary="我的 API 令牌")
def list_tokens(request: HttpRequest) -> Any:
    return ApiToken.objects.filter(user=auth_user(request)).order_by("-created_at", "-id")


TOKENS_MAKE_NO_TOKENS = (
    "API 令牌不能用来创建新令牌，请登录网页后创建，或由管理员用 dangjian token create 创建"
)


@router.post(
    "/tokens",
    response={201: TokenCreatedOut},
    summary="新建 API 令牌",
    description="只能在浏览器登录后创建；用 API 令牌调用时答 403（令牌不能再生令牌，吊销一个令牌即可切断它的全部权限）。",
)
def create_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    # A token that could mint tokens would outlive its own revocation through its offspring.
    if getattr(request, "auth_token_id", None) is not None:
        raise HttpError(403, TOKENS_MAKE_NO_TOKENS)
    name = payload.name.strip()
    if not name:
        raise ValidationError({"name": "令牌名称不能为空"})
    user = auth_user(request)
    token, raw = actions.issue_token(user=user, name=name, acting_user=user)
    return Status(201, {**TokenOut.from_orm(token).model_dump(), "key": raw})


@router.delete("/tokens/{token_id}", response={204: None}, summary="吊销 API 令牌")
def revoke_token(request: HttpRequest, token_id: int) -> Status[None]:
    user = auth_user(request)
    token = ApiToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).first()
    if token is None:
        raise HttpError(404, "令牌不存在或已吊销")
    actions.revoke_token(token, acting_user=user)
    return Status(204, None)
