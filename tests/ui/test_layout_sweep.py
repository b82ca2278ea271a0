"""The real screens pass ui.layout_check in all four layouts (portrait/landscape x standard/elder) and both
languages, for a card item, a fee item and a bill: the autopilot runs each combination in its own process. Apart
from tests/ui/test_layout_check.py (the checker itself and the small screens) so that the two test workers share
the ~5 minutes these take."""
from __future__ import annotations

import pytest

from tests.ui.test_layout_check import LAYOUT_ITEMS, LAYOUTS, autopilot


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh_CN", "en_US"])
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_the_autopilot_finds_nothing_a_citizen_would_meet_in_any_layout_or_language(tmp_path, layout, lang):
    proc, lines = autopilot(tmp_path, LAYOUT_ITEMS, "--lang", lang, *LAYOUTS[layout])
    assert [x.get("item") for x in lines] == list(LAYOUT_ITEMS), (lines, proc.stderr[-2000:])
    assert [(x["item"], x.get("error"), x.get("layout_problems")) for x in lines if "error" in x] == []
    assert proc.returncode == 0 and all(x["receipt_printed"] for x in lines), proc.stderr[-2000:]
