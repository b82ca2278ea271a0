"""Document scanners (flatbed or sheet-fed) through SANE: ``sane://DEVICE?...`` (device kind "scanner").

Its own kind, not a camera: a scanner has no live preview, its still is the flat page itself and, with a
feeder, it takes a whole batch at one tap; ``devices.base.Capability`` says which (``supports()``).
"""
from .sane import SaneScanner, ScanSettings, list_scanners

__all__ = ["SaneScanner", "ScanSettings", "list_scanners"]
