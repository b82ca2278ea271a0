"""A4 printer (device kind "a4"): PDFs printed through a CUPS print server (``cups://QUEUE``) over IPP.

The simulator (``devices.a4.sim``, ``sim://a4``) is not imported here: the composition root registers it
(``devices.simulators.register_all``)."""
from .client import list_queues
from .driver import A4Job, A4Printer, A4Target, count_pages

__all__ = ["A4Job", "A4Printer", "A4Target", "count_pages", "list_queues"]
