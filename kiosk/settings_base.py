"""The base of every settings section: unknown keys are errors, defaults are validated too."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_default=True)
