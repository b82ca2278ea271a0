"""A page held up against the light that bows more (part of devices.camera.docscan; issue 22 item 1, round 17).

A page held up in a hand bends, so docscan.backlit's pages are refined with only BENT_STRAIGHT (0.35) of their
refined sides' edge points on a line (0.5 otherwise). Held up against a window by one edge or two, a page bowing by
1-2 % of the frame's height falls under that too: rendered ``held`` seeds 54 and 60 (beyond the bench's 15) are
found by docscan.backlit (the quad 4.5-7.8 detection pixels from the page, score 0.83-1.02), but every candidate
refined to 0.29-0.34 on a line and was dropped, so no page was outlined (0.000 each). A page taken by
docscan.backlit (darker than an overexposed window on three sides and more, paper inside, every visible side
supported) is a sheet already; its refined outline is kept down to HELD_STRAIGHT. Pages not held up against the light
are refined as before.
"""
from __future__ import annotations

HELD_STRAIGHT = 0.25   # a backlit page's refined sides: this fraction of their edge points on a line will do
