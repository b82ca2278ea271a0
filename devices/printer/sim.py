"""A simulated ESC/POS receipt printer (``sim://printer?profile=80mm``).

It interprets the bytes it receives into receipts (``devices.printer.interpret``), answers DLE EOT with
the status bytes of its current state, renders receipts to PNG (``devices.printer.render``) and has knobs:
paper ok / near_end / out, cover open, cutter error, offline, and ``paper_out_after_lines`` to run out of
paper in the middle of a receipt.

Like a real printer, it does not drop what arrives while it is stopped (paper out, cover open): the data
waits in its receive buffer and prints once the fault is fixed -- unless the host sends DLE ENQ 2, which
clears that buffer. A driver that forgets to clear it gets the tail of the cut-short receipt printed after
the paper is reloaded: the simulator shows that bug instead of hiding it. Real-time commands (DLE EOT,
DLE ENQ) are answered at once in any state.
"""
from __future__ import annotations

from dataclasses import replace

from .. import sim
from ..transport import DeviceURL
from .escpos import PROFILES
from .interpret import Cut, Element, Interpreter, Receipt, Recover, StatusRequest, TextLine
from .status import PrinterStatus


class PrinterSimulator(sim.SimHardware):
    kind = "printer"

    def __init__(self, url: DeviceURL) -> None:
        super().__init__(url)
        self.profile = url.params.get("profile", "80mm")
        if self.profile not in PROFILES:
            self.profile = "80mm"
        self.status = PrinterStatus()
        self.paper_out_after_lines: int | None = None
        self.receipts: list[Receipt] = []
        self.partials: list[Receipt] = []  # receipts torn off without a cut (paper ran out mid-receipt)
        self.bytes_received = 0
        self._current = Receipt()
        self._held: list[Element] = []  # received while stopped: prints when the fault is fixed
        self._interp = Interpreter()
        self.revision = 0  # bumps whenever a receipt is completed (the demo screen reloads its image)
        paper = url.params.get("paper")
        if paper:
            self.set_paper(paper)

    # ----- knobs --------------------------------------------------------------------------------
    def set_paper(self, level: str) -> None:
        """ok | near_end | out"""
        if level not in ("ok", "near_end", "out"):
            raise ValueError("paper is ok, near_end or out")
        with self.lock:
            if level != "out" and self.status.paper_out and self._current.elements:
                # Reloading paper: what was printed before the roll ran out is torn off by the technician.
                self.partials.append(self._current)
                self._current = Receipt()
            self.status = replace(self.status, paper_near_end=level == "near_end", paper_out=level == "out",
                                  paper_end_stop=level == "out")
            self._resume()

    def set_cover_open(self, is_open: bool) -> None:
        with self.lock:
            self.status = replace(self.status, cover_open=is_open, offline=is_open)
            self._resume()

    def set_cutter_error(self, on: bool) -> None:
        with self.lock:
            self.status = replace(self.status, cutter_error=on, error=on)
            self._resume()

    def set_offline(self, on: bool) -> None:
        with self.lock:
            self.status = replace(self.status, offline=on)
            self._resume()

    def knobs(self) -> dict:
        s = self.status
        paper = "out" if s.paper_out else "near_end" if s.paper_near_end else "ok"
        return dict(super().knobs(), paper=paper, cover_open=s.cover_open, cutter_error=s.cutter_error,
                    offline=s.offline, receipts=len(self.receipts), held=len(self._held))

    @property
    def last_receipt(self) -> Receipt | None:
        with self.lock:
            return self.receipts[-1] if self.receipts else None

    def last_png(self) -> bytes | None:
        """The last completed receipt rendered as PNG at 203 dpi (the demo's receipt screen shows it)."""
        receipt = self.last_receipt
        if receipt is None:
            return None
        from .render import render_png  # noqa: PLC0415 - Pillow drawing only when someone looks

        return render_png(receipt, PROFILES[self.profile])

    # ----- the wire -----------------------------------------------------------------------------
    def handle(self, port: sim.SimPort, data: bytes) -> None:
        with self.lock:
            self.bytes_received += len(data)
            elements = self._interp.feed(data)
            self._interp.elements.clear()  # handled here; a printer running for months must not keep them all
            for element in elements:
                if isinstance(element, StatusRequest):
                    port.feed(bytes([self.status.to_bytes()[element.n - 1]]))
                elif isinstance(element, Recover):
                    if element.clear:
                        self._held.clear()
                elif self.status.fault() is not None:
                    self._held.append(element)
                else:
                    self._print(element)

    def _print(self, element: Element) -> None:
        self._current.elements.append(element)
        if isinstance(element, TextLine) and self.paper_out_after_lines is not None:
            self.paper_out_after_lines -= 1
            if self.paper_out_after_lines <= 0:
                self.paper_out_after_lines = None
                self.status = replace(self.status, paper_out=True, paper_end_stop=True, paper_near_end=False)
        if isinstance(element, Cut):
            self._current.cut = True
            self.receipts.append(self._current)
            self._current = Receipt()
            self.revision += 1

    def _resume(self) -> None:
        while self._held and self.status.fault() is None:
            self._print(self._held.pop(0))

    def take_partial(self) -> Receipt | None:
        """What is on the paper but not yet cut (a receipt cut short); clears it."""
        with self.lock:
            partial, self._current = self._current, Receipt()
            return partial if partial.elements else None

