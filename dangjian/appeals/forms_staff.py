"""Input of the staff pages. Forms only parse and check shape; the actions decide the rest."""

from __future__ import annotations

from typing import Any

from django import forms

from dangjian.appeals.choices import Priority, Rating, StreetArea

REQUIRED = {"required": "此项为必填项"}


def first_error(form: forms.Form) -> str:
    for errors in form.errors.values():
        for error in errors:
            return str(error)
    return "输入有误"


class NoteForm(forms.Form):
    note = forms.CharField(label="说明", required=False, max_length=1000)


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(
        label="紧急程度", choices=Priority.choices, error_messages={"invalid_choice": "紧急程度不正确"}
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=300, error_messages={"required": "请填写原因"})


class DispatchForm(forms.Form):
    """``target`` is ``node:<id>``, ``unit:<id>`` or ``user:<id>`` from the offered choices."""

    target = forms.ChoiceField(
        label="派遣对象", error_messages={"required": "请选择派遣对象", "invalid_choice": "派遣对象无效"}
    )
    note = forms.CharField(label="派遣意见", required=False, max_length=500)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = choices  # type: ignore[attr-defined]


class ResultForm(forms.Form):
    result = forms.CharField(label="处置结果", max_length=2000, error_messages={"required": "请填写处置结果"})


class ProgressForm(forms.Form):
    text = forms.CharField(label="进展说明", max_length=2000, error_messages={"required": "请填写进展说明"})
    public = forms.BooleanField(label="向反映人公开", required=False)


class DuplicateForm(forms.Form):
    merge_into = forms.CharField(label="并入诉求编号", required=False, max_length=24)
    reason = forms.CharField(label="原因", required=False, max_length=300)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("merge_into") or "").strip() and not (data.get("reason") or "").strip():
            raise forms.ValidationError("请填写并入的诉求编号，或填写关闭原因")
        return data


class RateForm(forms.Form):
    rating = forms.ChoiceField(
        label="评价",
        choices=Rating.choices,
        error_messages={"required": "请选择评价", "invalid_choice": "请选择评价"},
    )
    comment = forms.CharField(label="意见", required=False, max_length=300)


class WhistleForm(forms.Form):
    """Departments to convene; each chosen department's duty comes from ``duty_<id>``."""

    departments = forms.MultipleChoiceField(
        label="报到部门",
        error_messages={"required": "请至少选择一个报到部门", "invalid_choice": "所选部门无效"},
    )
    reason = forms.CharField(label="吹哨事由", max_length=1000, error_messages={"required": "请填写吹哨事由"})

    def __init__(self, *args: Any, departments: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {str(u.pk): u for u in departments}
        self.fields["departments"].choices = [(pk, u.name) for pk, u in self.units.items()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        duties: list[tuple[Any, str]] = []
        for pk in data.get("departments") or []:
            duty = str(self.data.get(f"duty_{pk}", "")).strip()
            if not duty:
                raise forms.ValidationError(f"请填写{self.units[pk].name}的任务")
            if len(duty) > 300:
                raise forms.ValidationError(f"{self.units[pk].name}的任务不超过 300 字")
            duties.append((self.units[pk], duty))
        data["duties"] = duties
        return data


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label="会商纪要", max_length=5000, error_messages={"required": "请填写会商纪要"}
    )


class ScoreForm(forms.Form):
    score = forms.TypedChoiceField(
        label="评分",
        coerce=int,
        choices=[(str(i), f"{i} 分") for i in range(1, 6)],
        error_messages={"required": "请选择评分", "invalid_choice": "评分为 1–5 分"},
    )
    comment = forms.CharField(label="意见", required=False, max_length=200)


class StreetTaskItemForm(forms.Form):
    area = forms.ChoiceField(
        label="领域",
        choices=StreetArea.choices,
        error_messages={"required": "请选择领域", "invalid_choice": "领域无效"},
    )
    name = forms.CharField(label="事项", max_length=120, error_messages={"required": "请填写事项名称"})
    departments = forms.MultipleChoiceField(
        label="责任部门", required=False, error_messages={"invalid_choice": "所选部门无效"}
    )

    def __init__(self, *args: Any, departments: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {str(u.pk): u for u in departments}
        self.fields["departments"].choices = [(pk, u.name) for pk, u in self.units.items()]  # type: ignore[attr-defined]

    def chosen_units(self) -> list[Any]:
        return [self.units[pk] for pk in self.cleaned_data.get("departments") or []]
