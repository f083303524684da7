from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from dangjian.intel import classify, dataset, text
from dangjian.intel.actions import train_version
from dangjian.intel.tests import samples


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Each test starts without a loaded pipeline (the database is new each time)."""
    classify.forget()
    yield
    classify.forget()


@pytest.fixture
def labelled(db: Any) -> dataset.Labelled:
    return dataset.from_rows(samples.rows(), dataset.Taxonomy(1))


@pytest.fixture
def trained(labelled: dataset.Labelled) -> Any:
    """A version trained on the small set through the real action, active."""
    return train_version(
        data=labelled, taxonomy=dataset.Taxonomy(1), source="tests", acting_user=None, holdout=0.25
    ).version


def doc(title: str, body: str) -> str:
    return text.document(title, body)
