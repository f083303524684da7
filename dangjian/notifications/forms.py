from __future__ import annotations

from typing import Any

from django import forms

from dangjian.notifications import channels as ch
from dangjian.notifications.choices import Mode


class PreferenceForm(forms.Form):
    mode = forms.ChoiceField(label="推送方式", choices=Mode.choices, widget=forms.RadioSelect)
    digest_hour = forms.TypedChoiceField(
        label="每日汇总时间",
        coerce=int,
        choices=[(h, f"{h:02d}:00") for h in range(24)],
        help_text="选择“每日汇总”时，每天此时把未读消息汇总发送一次",
    )
    channels = forms.MultipleChoiceField(
        label="站外渠道", required=False, widget=forms.CheckboxSelectMultiple, help_text="站内消息总会保留"
    )
    email = forms.CharField(label="电子邮箱", required=False, max_length=254)
    wecom_webhook = forms.CharField(
        label="企业微信群机器人地址",
        required=False,
        max_length=500,
        help_text="群聊 → 添加群机器人 → 复制 Webhook 地址",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channels"].choices = [(name, c.label) for name, c in ch.configured().items()]  # type: ignore[attr-defined]
