"""Every schema of the OpenAPI document comes from one class: ninja names a component after
its class, so two classes of one name (the appeals and needs ``EventIn``) made the document
show one under the other's operations."""

from __future__ import annotations

import typing
from collections import defaultdict
from typing import Any

import pydantic

from dangjian.api import api


def _models(tp: Any, acc: set[type]) -> None:
    if isinstance(tp, type) and issubclass(tp, pydantic.BaseModel):
        if tp not in acc:
            acc.add(tp)
            for field in tp.model_fields.values():
                _models(field.annotation, acc)
        return
    for arg in typing.get_args(tp):
        _models(arg, acc)


def test_it_names_no_two_schema_classes_alike():
    used: set[type] = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    _models(model, used)
                for model in (operation.response_models or {}).values():
                    _models(model, used)
    names: dict[str, set[str]] = defaultdict(set)
    for model in used:
        names[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    assert len(used) > 100
    assert {n: c for n, c in names.items() if len(c) > 1} == {}


def test_the_case_and_need_event_bodies_are_apart(client):
    schemas = api.get_openapi_schema()["components"]["schemas"]
    assert (
        "note" in schemas["CaseEventIn"]["properties"] and "to_node" in schemas["CaseEventIn"]["properties"]
    )
    assert "claimer_kind" in schemas["NeedEventIn"]["properties"]
    assert "EventIn" not in schemas
