from __future__ import annotations

from django import forms
from django.conf import settings

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Excel 文件",
        error_messages={"required": "请选择要导入的 .xlsx 文件"},
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "class": "form-control",
            }
        ),
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("只支持 .xlsx 格式（Excel 2007 及以上），.xls 请先另存为 .xlsx")
        limit = getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES)
        if f.size > limit:
            raise forms.ValidationError(f"文件过大（上限 {limit // (1024 * 1024)} MB），请拆分后分批导入")
        return f
