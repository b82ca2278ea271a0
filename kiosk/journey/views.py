"""What the screens read from the journey (``Journey``'s queries, split from its commands in ``machine``).

A mixin: ``Journey`` provides ``session``, ``devices``, ``_idle``, ``_h`` and ``_ctx``.
"""
from __future__ import annotations

from typing import Any

from ..platform.catalog_schema import Material
from .plan import Step
from .steps.materials import capture_list, current_material, document_device, is_scanner


class JourneyViews:
    @property
    def plan(self) -> list[Step]:
        return self.session.plan

    @property
    def material_index(self) -> int:
        return self.session.material_index

    @property
    def status_result(self) -> dict[str, Any]:
        return self.session.status_result

    @property
    def countdown(self) -> int | None:
        return self._idle.countdown

    def capture_list(self) -> list[Material]:
        return capture_list(self.session)

    def current_material(self) -> Material | None:
        return current_material(self.session)

    def item_materials_left(self) -> bool:
        return self.session.material_index + 1 < len(self.capture_list())

    def uses_scanner(self) -> bool:
        """The materials are scanned (a document scanner), not photographed."""
        return is_scanner(document_device(self.devices))

    def print_journal(self) -> Any:
        """The receipt printer's journal (which receipts printed; the last job's bytes, for the screen)."""
        return self._h(Step.RECEIPT).journal(self._ctx)

    def live_frame(self) -> Any:
        return self._h(Step.MATERIALS).live_frame()
