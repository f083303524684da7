"""Forms of the accounts pages."""

from __future__ import annotations

from django import forms

from dangjian.core import crypto


class LoginForm(forms.Form):
    phone = forms.CharField(
        label="手机号",
        max_length=20,
        error_messages={"required": "请输入手机号"},
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg",
                "inputmode": "tel",
                "autocomplete": "username",
                "placeholder": "请输入手机号",
                "autofocus": True,
            }
        ),
    )
    password = forms.CharField(
        label="密码",
        max_length=128,
        strip=False,
        error_messages={"required": "请输入密码"},
        widget=forms.PasswordInput(
            attrs={
                "class": "form-control form-control-lg",
                "autocomplete": "current-password",
                "placeholder": "请输入密码",
            }
        ),
    )

    def clean_phone(self) -> str:
        phone = crypto.normalise_phone(self.cleaned_data["phone"])
        if not crypto.is_valid_phone(phone):
            raise forms.ValidationError("请输入正确的 11 位手机号")
        return phone
