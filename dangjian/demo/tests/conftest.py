from __future__ import annotations

from typing import Any

import pytest

from dangjian.demo import beiliu
from dangjian.territory import geo

SMALL = 40  # residents: the structure is full size, the population small, to keep tests quick


@pytest.fixture
def demo(db: Any) -> beiliu.DemoCity:
    geo.invalidate()
    city = beiliu.build(residents=SMALL)
    geo.invalidate()
    return city
