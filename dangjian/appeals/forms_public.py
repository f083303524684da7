"""Forms of the resident side: the report (有话想说 / 服务企业马上办) and the rating (反馈评价)."""

from __future__ import annotations

import math
from typing import Any

from django import forms
from django.db.models import Count, Q

from dangjian.appeals.actions import MAX_TEXT, MAX_TITLE
from dangjian.appeals.choices import Rating
from dangjian.appeals.models import Category
from dangjian.core import bounds

MAX_KEY = 64  # the client part of an idempotency key; stored as "web<user>:<key>"


class ReportForm(forms.Form):
    cat1 = forms.IntegerField(required=False, min_value=1, max_value=bounds.ID_MAX)
    cat2 = forms.IntegerField(required=False, min_value=1, max_value=bounds.ID_MAX)
    cat3 = forms.IntegerField(required=False, min_value=1, max_value=bounds.ID_MAX)
    title = forms.CharField(
        label="标题",
        max_length=MAX_TITLE,
        error_messages={"required": "请填写标题", "max_length": f"标题不超过 {MAX_TITLE} 字"},
    )
    description = forms.CharField(
        label="问题描述",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请描述问题", "max_length": f"内容不超过 {MAX_TEXT} 字"},
    )
    lng = forms.FloatField(
        required=False, min_value=-180, max_value=180, error_messages={"invalid": "经度不正确"}
    )
    lat = forms.FloatField(
        required=False, min_value=-90, max_value=90, error_messages={"invalid": "纬度不正确"}
    )
    address = forms.CharField(label="地址补充", max_length=200, required=False)
    anonymous = forms.BooleanField(label="匿名反映", required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    idempotency_key = forms.CharField(
        max_length=MAX_KEY,
        error_messages={"required": "页面已过期，请刷新后重新提交", "max_length": "提交编号过长"},
    )

    def __init__(self, *args: Any, enterprise: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enterprise = enterprise
        self.category: Category | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [data.get(f"cat{i}") for i in (1, 2, 3)]
        ids = [c for c in chosen if c]
        if not ids:
            self.add_error(None, "请选择诉求分类")
            return data
        cats = {
            c.pk: c
            for c in Category.objects.filter(pk__in=ids, active=True, enterprise=self.enterprise).annotate(
                kids=Count("children", filter=Q(children__active=True))
            )
        }
        # The chain must be consistent: each level the child of the one before.
        parent_id = None
        last = None
        for level, cid in enumerate(chosen, start=1):
            if not cid:
                break
            cat = cats.get(cid)
            if cat is None or cat.level != level or cat.parent_id != parent_id:
                self.add_error(None, "请选择有效的诉求分类")
                return data
            parent_id, last = cat.pk, cat
        if last is None:
            self.add_error(None, "请选择诉求分类")
        elif last.kids:
            self.add_error(None, "请继续选择下一级分类")
        else:
            self.category = last
        lng, lat = data.get("lng"), data.get("lat")
        for name, value in (("lng", lng), ("lat", lat)):
            if value is not None and not math.isfinite(value):
                self.add_error(name, "坐标不正确")
        if lng is None or lat is None:
            self.add_error(None, "请在地图上点选问题位置，或点“使用我的位置”")
        return data


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label="评价",
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "请选择 满意 / 基本满意 / 不满意",
            "invalid_choice": "请选择 满意 / 基本满意 / 不满意",
        },
    )
    comment = forms.CharField(
        label="评价意见",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "评价意见不超过 300 字"},
    )
