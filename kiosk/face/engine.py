"""Choosing the face engine: the open one (MediaPipe + dlib) or a vendor's certified engine.

``open_face_engine(settings)`` is the one place that builds the analyzer and the matcher the face step
uses. ``settings`` is the kiosk's ``Settings`` (its ``face_engine`` section is used) or a
``FaceEngineSettings`` itself.

- ``engine = "open"``: ``MediapipeFaceAnalyzer`` (tracking a camera stream) and ``DlibFaceMatcher``.
- ``engine = "python:package.module:factory"``: ``factory(settings)`` returns ``(analyzer, matcher)`` that
  follow kiosk/face/api.py; a vendor's engine (a certified 人证核验 SDK) plugs in here without code changes.

``threshold`` > 0 replaces the matcher's own (a vendor's scores have their own scale: set theirs).
Anything that cannot be loaded raises ``FaceEngineUnavailable`` (2180).
"""
from __future__ import annotations

import importlib
from typing import Any

from .api import FaceAnalyzer, FaceMatcher
from .errors import FaceEngineError, FaceEngineUnavailable


def open_face_engine(settings: Any) -> tuple[FaceAnalyzer, FaceMatcher]:
    conf = getattr(settings, "face_engine", settings)
    spec = str(getattr(conf, "engine", "open") or "open").strip()
    threshold = float(getattr(conf, "threshold", 0.0) or 0.0)
    if spec == "open":
        from .analyzer import MediapipeFaceAnalyzer
        from .matcher import DlibFaceMatcher
        analyzer: FaceAnalyzer = MediapipeFaceAnalyzer(video=True)
        matcher: FaceMatcher = DlibFaceMatcher()
    elif spec.startswith("python:"):
        module_name, _, attr = spec.removeprefix("python:").partition(":")
        if not module_name or not attr:
            raise FaceEngineUnavailable(f"face engine {spec!r}: expected python:package.module:factory")
        try:
            factory = getattr(importlib.import_module(module_name), attr)
            analyzer, matcher = factory(conf)
        except FaceEngineError:
            raise
        except Exception as exc:
            raise FaceEngineUnavailable(f"face engine {spec!r} cannot be loaded: {exc}") from exc
    else:
        raise FaceEngineUnavailable(f"face engine {spec!r}: expected 'open' or python:package.module:factory")
    if threshold > 0:
        matcher.threshold = threshold
    return analyzer, matcher
