"""Document camera (高拍仪): capture, page detection/rectification/enhancement, and a simulator.

The simulator (``devices.camera.sim``) is not imported here: the composition root registers it
(``devices.simulators.register_all``). A flatbed or feeder scanner is its own kind, ``devices.scanner``."""
from .capture import DocumentCamera, open_frame_source
from .face import FaceCamera

__all__ = ["DocumentCamera", "FaceCamera", "open_frame_source"]
