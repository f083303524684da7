"""Every write to units."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from dangjian.core import audit, crypto
from dangjian.core.access import ensure_in_scope
from dangjian.units.choices import UnitKind
from dangjian.units.models import Unit

_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_check_char(first17: str) -> str:
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARS[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    """GB 32100 统一社会信用代码 with its check character."""
    if not re.fullmatch(f"[{_CREDIT_CHARS}]{{18}}", code):
        return False
    return credit_check_char(code[:17]) == code[17]


def validate_unit_fields(
    *, name: str, kind: str, credit_code: str = "", contact_phone: str = ""
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = "单位名称不能为空"
    if kind not in UnitKind.values:
        errors["kind"] = "单位类型不正确，可选：" + "、".join(UnitKind.labels)
    if credit_code and not is_valid_credit_code(credit_code.upper()):
        errors["credit_code"] = "统一社会信用代码不正确（18 位，校验位不符）"
    ph = crypto.normalise_phone(contact_phone)
    if ph and not (crypto.is_valid_phone(ph) or crypto.LANDLINE_RE.match(ph)):
        errors["contact_phone"] = "联系电话不正确"
    return errors


@transaction.atomic
def create_unit(
    *,
    name: str,
    kind: str,
    node: Any,
    credit_code: str = "",
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    employees: int = 0,
    is_resident_unit: bool = True,
    acting_user: Any,
) -> Unit:
    errors = validate_unit_fields(name=name, kind=kind, credit_code=credit_code, contact_phone=contact_phone)
    if (
        credit_code
        and "credit_code" not in errors
        and Unit.objects.filter(credit_code=credit_code.upper()).exists()
    ):
        errors["credit_code"] = "该统一社会信用代码已登记"
    if errors:
        raise ValidationError(errors)
    ensure_in_scope(acting_user, "add", node)
    unit = Unit(
        name=name.strip(),
        kind=kind,
        node=node,
        credit_code=credit_code.upper() or None,
        address=address,
        contact_name=contact_name,
        employees=employees,
        is_resident_unit=is_resident_unit,
    )
    unit.place(node)
    s = crypto.seal("phone", contact_phone)
    unit.contact_phone_enc, unit.contact_phone_hash, unit.contact_phone_masked = s.enc, s.hash, s.masked
    unit.save()
    audit.record(acting_user, "units.unit.create", unit)
    return unit
