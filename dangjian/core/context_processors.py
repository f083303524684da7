from django.conf import settings
from django.http import HttpRequest

from dangjian.core.pages import mark_active, menu_for, menu_groups, tabs_for


def platform(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    items = mark_active(menu_for(user), request.path) if user is not None else []
    return {
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "nav_items": items,  # flat, in table order (core/pages.py)
        "nav_groups": menu_groups(items),  # 办事 / 办理 / 统计 / 管理 / 我的
        "nav_tabs": tabs_for(user, items) if user is not None else [],  # the phone's bottom tab bar
    }
