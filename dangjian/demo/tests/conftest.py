from __future__ import annotations

from typing import Any

import pytest

from dangjian.demo import beiliu
from dangjian.territory import geo

SMALL = 40  # residents: the structure is full size, the population small, to keep tests quick
FEW_CASES = 40  # the appeals history is tested at full size in test_demo_appeals.py


@pytest.fixture
def demo(db: Any) -> beiliu.DemoCity:
    geo.invalidate()
    city = beiliu.build(residents=SMALL, cases=FEW_CASES)
    geo.invalidate()
    return city
