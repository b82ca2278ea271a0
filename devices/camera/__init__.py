"""Document camera (高拍仪): capture, page detection/rectification/enhancement, and a simulator.

A document scanner (``sane://DEVICE``, ``devices.camera.sane.SaneScanner``) can take the camera's place."""
from . import sim as _sim  # noqa: F401 - registers sim://camera
from .capture import DocumentCamera, open_frame_source

__all__ = ["DocumentCamera", "open_frame_source"]
