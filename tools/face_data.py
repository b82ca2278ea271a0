"""Builds the face images the repository keeps, from a local copy of public-domain portraits.

Source: official portraits of members of the US Congress (US-government works, public domain), as kept at
225x275 px in the public repository Hainish/congress-images-225x275 and at 102x125 px in
Hainish/congress-images-102x125 (both thumbnails of unitedstates/images' congress/ photos). Run once by
hand; the outputs are committed, nothing is fetched at test or bench time.

    python tools/face_data.py SRC_225x275_DIR SRC_102x125_DIR

writes devices/camera/sim/faces/<person>/{card.png,live.png} + people.json (the demo's people) and
bench/data/faces/<person>/{card.jpg,live.jpg} (the benchmark's labelled set).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import cv2

ROOT = Path(__file__).resolve().parents[1]

# The simulated cards' identities (devices/idcard/synthetic.py) -> a portrait's Bioguide ID. Names stay the
# synthetic ones on the card; only the face is a real (public-domain) portrait. The impostor is nobody's card.
DEMO = {
    "graduate": "A000367",
    "graduate_late": "A000363",
    "dishonest": "A000368",
    "elder": "B001231",
    "standard": "A000022",
    "hui": "B001228",
    "gat": "B001233",
    "foreign_2023": "B001230",
}
IMPOSTOR = "A000366"  # an older woman, like the elder's card: the impostor should not be an easy case
BENCH_PEOPLE = 150  # the first N portraits by Bioguide ID (sorted), not chosen by how well they match


def main(big_dir: str, small_dir: str) -> None:
    big, small = Path(big_dir), Path(small_dir)
    sim = ROOT / "devices/camera/sim/faces"
    for person in [*DEMO.values(), IMPOSTOR]:
        out = sim / person
        out.mkdir(parents=True, exist_ok=True)
        im = cv2.imread(str(big / f"{person}.jpg"))
        # the card reader's decoded WLT photo is 102 x 126 (GA 467)
        cv2.imwrite(str(out / "card.png"), cv2.resize(im, (102, 126), interpolation=cv2.INTER_AREA))
        cv2.imwrite(str(out / "live.png"), im)
    (sim / "people.json").write_text(json.dumps(
        {"identities": DEMO, "impostor": IMPOSTOR,
         "source": "US Congress official portraits (public domain), see SOURCES.md"},
        indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    bench = ROOT / "bench/data/faces"
    people = sorted(p.stem for p in big.glob("*.jpg") if (small / p.name).exists())
    people = [p for p in people if p not in DEMO.values() and p != IMPOSTOR][:BENCH_PEOPLE]
    for person in people:
        out = bench / person
        out.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(out / "card.jpg"), cv2.imread(str(small / f"{person}.jpg")), [cv2.IMWRITE_JPEG_QUALITY, 90])
        cv2.imwrite(str(out / "live.jpg"), cv2.imread(str(big / f"{person}.jpg")), [cv2.IMWRITE_JPEG_QUALITY, 85])
    print(f"demo people: {len(DEMO) + 1}, bench people: {len(people)}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
