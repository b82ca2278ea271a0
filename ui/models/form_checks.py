"""The messages under the form's fields (pure: no Qt). None show until the citizen taps 下一步 once; from then on
each field's message follows what it holds, gone as soon as it is right, and follows the language."""
from __future__ import annotations

from typing import Any

from kiosk.journey import forms


class FormChecks:
    def __init__(self) -> None:
        self.errors: dict[str, str] = {}  # field name -> its message, for the fields wrong now
        self.checked = False  # 下一步 was tapped once on this form: from then on fields validate as typed

    def reset(self) -> None:
        """A new step: no messages, and none until 下一步."""
        self.errors, self.checked = {}, False

    def submitted(self, errors: list[Any], lang: str) -> str:
        """下一步's verdict (kiosk.journey.forms errors); returns the first wrong field's message, or ""."""
        self.checked = True
        if not errors:
            return ""
        self.errors = {e.field: e.message.get(lang) for e in errors}
        return errors[0].message.get(lang)

    def typed(self, journey: Any, name: str, lang: str) -> bool:
        """The field ``name`` now holds something else; True when its message changed."""
        return self.checked and self.recheck(journey, name, lang)

    def recheck(self, journey: Any, name: str, lang: str) -> bool:
        """The field's message as it holds now, in ``lang``; True when it changed."""
        item = journey.session.item
        f = item.field(name) if item else None
        if f is None:
            return False
        msg = forms.validate_field(f, journey.session.form.get(name, ""))
        text = msg.get(lang) if msg is not None else ""
        if self.errors.get(name, "") == text:
            return False
        if text:
            self.errors[name] = text
        else:
            self.errors.pop(name, None)
        return True

    def relang(self, journey: Any, lang: str) -> bool:
        """Every message shown, in the new language; True when any changed."""
        return any([self.recheck(journey, name, lang) for name in list(self.errors)])
