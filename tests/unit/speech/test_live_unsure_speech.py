"""The materials screen's "cannot see the page's edges" is said aloud once, as the screen shows it (issue 22).

Protects: said when the live preview turns "unsure", in the citizen's language; not again while the preview
goes back and forth between "unsure" and "no page" (the same thing lying there); said again once a page was
found in between; no other live state is said.
"""
from __future__ import annotations

from kiosk.capture.auto import AutoState, AutoStatus
from kiosk.journey.events import JourneyEvent
from kiosk.journey.events import JourneyEventKind as K
from kiosk.journey.plan import Step
from kiosk.journey.session import Session
from kiosk.speech.utterance import Recall, utterance

UNSURE = AutoStatus(AutoState.NO_PAGE, problem="unsure")
NO_PAGE = AutoStatus(AutoState.NO_PAGE, problem="no_page")
STEADY = AutoStatus(AutoState.STEADYING, progress=0.3)


def run(statuses, lang="zh_CN"):
    recall, said = Recall(), []
    for st in statuses:
        u, recall = utterance(JourneyEvent(K.LIVE, Step.MATERIALS, st), Session(), lang, recall)
        said.append(u.text if u is not None else None)
    return said


def test_unsure_is_said_once_in_the_citizens_language():
    zh = "看不清材料的边缘。请把材料放平，或直接按「拍摄」拍下整个画面。"
    assert run([NO_PAGE, UNSURE, NO_PAGE, UNSURE, UNSURE]) == [None, zh, None, None, None]
    assert run([UNSURE], "en_US") == ["Can't see the page's edges. Lay it flat, or press Capture to take the "
                                      "whole picture."]


def test_unsure_is_said_again_after_a_page_was_found():
    said = run([UNSURE, STEADY, NO_PAGE, UNSURE])
    assert said[0] and said[3] == said[0] and said[1:3] == [None, None]
