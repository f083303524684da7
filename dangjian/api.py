"""The native JSON API: each app's ``api.py`` exposes a ``router``, mounted here.
OpenAPI 3 at /api/v1/openapi.json, interactive docs at /api/v1/docs."""

from ninja import NinjaAPI

from dangjian.accounts.api import ApiAuth
from dangjian.accounts.api import router as accounts_router
from dangjian.party.api import router as party_router
from dangjian.people.api import router as people_router
from dangjian.territory.api import router as territory_router
from dangjian.units.api import router as units_router
from dangjian.venues.api import router as venues_router

api = NinjaAPI(
    title="智慧党建引领基层治理平台 API",
    version="1.0.0",
    urls_namespace="api",
    auth=ApiAuth(),
    description="所有接口按登录用户的管辖范围返回数据；范围外与不存在一律 404。认证：会话 Cookie 或 `Authorization: Bearer <令牌>`。",
)
api.add_router("/accounts/", accounts_router)
api.add_router("/territory/", territory_router)
api.add_router("/party/", party_router)
api.add_router("/people/", people_router)
api.add_router("/units/", units_router)
api.add_router("/venues/", venues_router)
