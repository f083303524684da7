"""A django-ninja response body built without validating it again, for a hot path.

Ninja answers an endpoint by validating the returned object against the response schema
(every attribute through its ``DjangoGetter``), which on the intake costs more than writing
the case (``bench/appeals_intake.py``). :func:`respond` builds the same JSON from the same
schema — its fields, its ``resolve_*`` methods, nested schemas — and the API's renderer, for
an object this request has just written and therefore knows to be valid. Each use has a
test comparing its body with the body ninja gives for the same object.
"""

from __future__ import annotations

import types
import typing
from functools import cache
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.schema import DjangoGetter


@cache
def _nested(schema: type[Schema]) -> dict[str, type[Schema] | None]:
    """For each field, the schema of its value when that is a schema (or an optional one)."""
    out: dict[str, type[Schema] | None] = {}
    for name, field in schema.model_fields.items():
        kind = field.annotation
        if typing.get_origin(kind) in (typing.Union, types.UnionType):
            kind = next((a for a in typing.get_args(kind) if a is not type(None)), kind)
        out[name] = kind if isinstance(kind, type) and issubclass(kind, Schema) else None
    return out


def dump(schema: type[Schema], obj: Any, context: dict[str, Any]) -> dict[str, Any]:
    """The fields of ``schema`` for ``obj``, as ninja's ``model_dump()`` gives them."""
    getter = DjangoGetter(obj, schema, context)
    resolvers = schema._ninja_resolvers
    out: dict[str, Any] = {}
    for name, nested in _nested(schema).items():
        resolver = resolvers.get(name)
        value = resolver(getter=getter) if resolver else getattr(obj, name)
        out[name] = dump(nested, value, context) if nested is not None and value is not None else value
    return out


def respond(
    api: NinjaAPI, schema: type[Schema], obj: Any, request: HttpRequest, *, status: int
) -> HttpResponse:
    """The response ``api`` would give for ``obj`` under ``schema`` (its renderer, its headers)."""
    body = dump(schema, obj, {"request": request, "response_status": status})
    return api.create_response(request, body, status=status)
