from ninja import Router

router = Router()


class ApiAuth:  # replaced below in the real implementation
    def __call__(self, request):  # type: ignore[no-untyped-def]
        return request.user if request.user.is_authenticated else None
