from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class AccountsConfig(AppConfig):
    name = "dangjian.accounts"
    label = "accounts"
    verbose_name = "账号与角色"

    def ready(self) -> None:
        from dangjian.accounts.api import forget_tokens
        from dangjian.accounts.models import ApiToken, RoleAssignment, User
        from dangjian.territory.models import Node

        # What a bearer token resolved to (user, roles, their nodes) is cached per process.
        for model in (ApiToken, User, RoleAssignment, Node):
            for name, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(forget_tokens, sender=model, dispatch_uid=f"tokens-{model.__name__}-{name}")
