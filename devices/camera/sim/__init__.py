"""The simulated document camera (``sim://camera``) and the synthetic scenes it renders.

Test and demo code only: no driver imports this package; ``devices.simulators.register_all`` registers
``CameraSimulator`` with the ``sim://`` registry.
"""
from .camera import CameraSimulator, CodeRenderer, SimFrameSource

__all__ = ["CameraSimulator", "CodeRenderer", "SimFrameSource"]
