"""Default 三岗十八级 pay scale (seed 002): three posts × six levels, monthly base pay in 元.

After the reform the average is a little over 3,800 元/月 and a secretary-director (书记、主任
“一肩挑”, the 正职 post) reaches 4,100 元 and more. A city changes the figures in the admin;
seeding only fills grades that are missing and never overwrites a city's own numbers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from dangjian.core import audit
from dangjian.people.choices import CommunityPost
from dangjian.people.models import PayScale

# post → pay for levels 1..6 (yuan per month). Mean over the 18 grades ≈ 3,800.
DEFAULT_PAY: dict[str, tuple[int, ...]] = {
    CommunityPost.PRINCIPAL: (3900, 3980, 4060, 4140, 4220, 4300),
    CommunityPost.DEPUTY: (3700, 3770, 3840, 3910, 3980, 4050),
    CommunityPost.STAFF: (3350, 3410, 3470, 3530, 3590, 3650),
}


@transaction.atomic
def seed_pay_scale(*, acting_user: Any) -> int:
    """Create the missing grades of the default scale; return how many were created."""
    have = set(PayScale.objects.values_list("post", "level"))
    created = 0
    for post, pays in DEFAULT_PAY.items():
        for level, pay in enumerate(pays, start=1):
            if (post, level) in have:
                continue
            row = PayScale.objects.create(post=post, level=level, monthly_pay=Decimal(pay))
            audit.record(acting_user, "people.payscale.seed", row)
            created += 1
    return created
