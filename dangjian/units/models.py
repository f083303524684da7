"""Units (驻区单位): agencies, enterprises, schools, property companies, social organisations
and the functional departments, each standing at a node of the territory."""

from __future__ import annotations

from django.db import models

from dangjian.core.models import Placed
from dangjian.units.choices import TWO_NEW_KINDS, UnitKind


class Unit(Placed):
    name = models.CharField("单位名称", max_length=120)
    kind = models.CharField("单位类型", max_length=12, choices=UnitKind.choices, db_index=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True, null=True, blank=True)
    node = models.ForeignKey("territory.Node", models.PROTECT, related_name="units", verbose_name="所在区域")
    address = models.CharField("地址", max_length=200, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone_enc = models.TextField(blank=True, editable=False)
    contact_phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    contact_phone_masked = models.CharField("联系电话", max_length=20, blank=True)
    employees = models.PositiveIntegerField("职工人数", default=0)
    is_resident_unit = models.BooleanField("驻区单位", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = verbose_name_plural = "单位"

    def __str__(self) -> str:
        return self.name

    @property
    def is_two_new(self) -> bool:
        """两新组织 (new economic and social organisations)."""
        return self.kind in TWO_NEW_KINDS
