"""Barcode and QR reading: image decoding, serial line scanners, camera scanning and a simulator."""
from .scanner import Scan, SerialScanner, decode_text
from .simulator import ScannerSimulator

__all__ = ["Scan", "ScannerSimulator", "SerialScanner", "decode_text"]
