"""填写表单: fields prefilled from the card and shared data; the citizen corrects what may be edited."""
from __future__ import annotations

from ...errors import KioskErrorCode, Notice
from .. import forms
from ..plan import Step
from ..ports import Context
from ..table import Trigger
from .base import StepHandler


class FormStep(StepHandler):
    step = Step.FORM

    def set_field(self, ctx: Context, name: str, value: str) -> bool:
        item = ctx.session.item
        f = item.field(name) if item else None
        if f is None or not f.editable:
            return False
        ctx.session.form[name] = forms.clean(value)[:f.max_length]
        if ctx.notice is not None and ctx.notice.field == name:
            ctx.clear_notice(self.owner)  # the field the message was about has been changed
        return True

    def submit(self, ctx: Context) -> list[forms.FieldError]:
        item = ctx.session.item
        if item is None or ctx.step != self.step:
            return []
        errors = forms.validate(item, ctx.session.form)
        if errors:
            ctx.set_notice(Notice(code=int(KioskErrorCode.FORM_INVALID), text=errors[0].message, level="warning",
                                  field=errors[0].field), self.owner)
            return errors
        ctx.fire(Trigger.NEXT)
        return []
