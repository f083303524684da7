from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict:
    return {"PLATFORM_NAME": settings.PLATFORM_NAME}
