from __future__ import annotations

from typing import Any

import pytest

from dangjian.accounts import actions as account_actions


@pytest.fixture
def community_worker(world: Any) -> Any:
    """A community worker of 桂塘社区 (community A): runs its 爱心超市 and awards."""
    user = account_actions.create_user(
        phone="13000000009", password="x-Pass-2026", name="桂塘社工", person=None, acting_user=None
    )
    account_actions.assign_role(user=user, role="community_worker", node=world.community_a, acting_user=None)
    return user
