from django.conf import settings
from django.http import HttpRequest

from dangjian.core.nav import menu_for


def platform(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    return {"PLATFORM_NAME": settings.PLATFORM_NAME, "nav_items": menu_for(user) if user is not None else []}
