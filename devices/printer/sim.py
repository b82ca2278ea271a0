"""A simulated ESC/POS receipt printer (``sim://printer?profile=80mm``).

It interprets the bytes it receives into receipts (``devices.printer.interpret``), answers DLE EOT with
the status bytes of its current state, and has knobs: paper ok / near_end / out, cover open, cutter error,
offline, and ``paper_out_after_lines`` to run out of paper in the middle of a receipt.
"""
from __future__ import annotations

from dataclasses import replace

from .. import sim
from ..transport import DeviceURL
from .interpret import Cut, Interpreter, Receipt, StatusRequest, TextLine
from .status import PrinterStatus


class PrinterSimulator(sim.SimHardware):
    kind = "printer"

    def __init__(self, url: DeviceURL) -> None:
        super().__init__(url)
        self.profile = url.params.get("profile", "80mm")
        self.status = PrinterStatus()
        self.paper_out_after_lines: int | None = None
        self.receipts: list[Receipt] = []
        self._current = Receipt()
        self._interp = Interpreter()
        paper = url.params.get("paper")
        if paper:
            self.set_paper(paper)

    # ----- knobs --------------------------------------------------------------------------------
    def set_paper(self, level: str) -> None:
        """ok | near_end | out"""
        if level not in ("ok", "near_end", "out"):
            raise ValueError("paper is ok, near_end or out")
        with self.lock:
            self.status = replace(self.status, paper_near_end=level == "near_end", paper_out=level == "out",
                                  paper_end_stop=level == "out")

    def set_cover_open(self, is_open: bool) -> None:
        with self.lock:
            self.status = replace(self.status, cover_open=is_open, offline=is_open)

    def set_cutter_error(self, on: bool) -> None:
        with self.lock:
            self.status = replace(self.status, cutter_error=on, error=on)

    def set_offline(self, on: bool) -> None:
        with self.lock:
            self.status = replace(self.status, offline=on)

    def knobs(self) -> dict:
        s = self.status
        paper = "out" if s.paper_out else "near_end" if s.paper_near_end else "ok"
        return dict(super().knobs(), paper=paper, cover_open=s.cover_open, cutter_error=s.cutter_error,
                    offline=s.offline, receipts=len(self.receipts))

    @property
    def last_receipt(self) -> Receipt | None:
        with self.lock:
            return self.receipts[-1] if self.receipts else None

    # ----- the wire -----------------------------------------------------------------------------
    def handle(self, port: sim.SimPort, data: bytes) -> None:
        with self.lock:
            for element in self._interp.feed(data):
                if isinstance(element, StatusRequest):
                    port.feed(bytes([self.status.to_bytes()[element.n - 1]]))
                    continue
                if self.status.fault() is not None:
                    continue  # a stopped printer drops what it cannot print
                self._current.elements.append(element)
                if isinstance(element, TextLine) and self.paper_out_after_lines is not None:
                    self.paper_out_after_lines -= 1
                    if self.paper_out_after_lines <= 0:
                        self.paper_out_after_lines = None
                        self.set_paper("out")
                if isinstance(element, Cut):
                    self._current.cut = True
                    self.receipts.append(self._current)
                    self._current = Receipt()

    def take_partial(self) -> Receipt | None:
        """What is on the paper but not yet cut (a receipt cut short); clears it."""
        with self.lock:
            partial, self._current = self._current, Receipt()
            return partial if partial.elements else None


sim.register("printer", PrinterSimulator)
