import pytest

from dangjian.core import workcal


@pytest.fixture(autouse=True)
def _fresh_workcal_cache():
    # A test's rolled-back CalendarDay rows send no signal; never let them leak into the next test.
    workcal.clear_cache()
    yield
    workcal.clear_cache()
