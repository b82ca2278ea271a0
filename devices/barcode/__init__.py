"""Barcode and QR reading: image decoding, serial line scanners, camera scanning and a simulator."""
from .scanner import Scan, ScannerSimulator, SerialScanner

__all__ = ["Scan", "ScannerSimulator", "SerialScanner"]
