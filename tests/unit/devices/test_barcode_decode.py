"""devices.barcode.decode: generated codes, charsets, camera frames, engine fallback and the zxing-cpp corpus.

The corpus tests use a representative subset of /work/shared/corpora/zxing-samples (or $ZXING_SAMPLES) —
images that exercise a specific rule of the decoder — and are skipped when the corpus is not on this
machine; bench/bench_barcode.py runs the whole corpus.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
import zxingcpp
from PIL import Image
from hypothesis import given, settings
from hypothesis import strategies as st

import devices.barcode.engines as engines
from devices.barcode import frame as frame_module
from devices.barcode import preprocess as pp
from devices.barcode.decode import SYMBOLOGIES, Barcode, decode, decode_frame, engines_available
from devices.barcode.frame import code_shaped
from devices.barcode.locate import Region, regions
from devices.barcode.preprocess_text import payload_text

F = zxingcpp.BarcodeFormat
CORPUS = Path(os.environ.get("ZXING_SAMPLES", Path(__file__).resolve().parents[4] / "shared/corpora/zxing-samples"))
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"zxing-samples corpus not found at {CORPUS}")
needs_zbar = pytest.mark.skipif(not engines_available()["zbar"], reason="libzbar0 / pyzbar not installed")
PAYLOAD = "https://zwfw.example.gov.cn/track?id=20240517-0042-8891&sig=Q7xK2mPz9vLw3NbR5tYh"  # 80 chars


# --- helpers ----------------------------------------------------------------------------------------------------

def render(content: str | bytes, fmt: zxingcpp.BarcodeFormat, scale: int = 4, margin: int = 40,
           **options: object) -> np.ndarray:
    """A generated symbol on white paper (gray uint8). ``content`` str is written as text (the writer adds
    ECI 26 for non-ASCII), so byte-mode payloads without ECI are passed as their Latin-1 reading."""
    img = np.asarray(zxingcpp.create_barcode(content, fmt, **options).to_image(scale=scale))
    return cv2.copyMakeBorder(img, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=255)


def qr_without_eci(raw: bytes) -> np.ndarray:
    """QR whose byte segment holds exactly ``raw`` and no ECI designator, as many Chinese generators write.

    zxing-cpp's writer needs no ECI for text that is the Latin-1 reading of ``raw`` (ISO-8859-1 is QR's
    default) as long as no byte is a C1 control (80-9F); UTF-8 bytes have those, so they go through
    OpenCV's encoder in byte mode, which writes UTF-8 without ECI. Checks the premise on the result."""
    if any(0x80 <= b <= 0x9F for b in raw):
        params = cv2.QRCodeEncoder.Params()
        params.mode = cv2.QRCodeEncoder_MODE_BYTE
        modules = cv2.QRCodeEncoder.create(params).encode(raw.decode("utf-8"))
        image = cv2.copyMakeBorder(cv2.resize(modules, None, fx=4, fy=4, interpolation=cv2.INTER_NEAREST),
                                   40, 40, 40, 40, cv2.BORDER_CONSTANT, value=255)
    else:
        image = render(raw.decode("latin-1"), F.QRCode)
    (check,) = zxingcpp.read_barcodes(image, text_mode=zxingcpp.TextMode.HexECI)
    assert check.text.startswith("5D 51 31") and bytes(check.bytes) == raw  # "]Q1": no ECI in the symbol
    return image


def turn(img: np.ndarray, degrees: float) -> np.ndarray:
    return pp.turned(pp.identity(img), degrees).image


def camera_frame(seed: int, height_fraction: float = 0.15,
                 payload: str | None = PAYLOAD) -> tuple[np.ndarray, np.ndarray]:
    """1920x1080 BGR frame (uneven light, clutter, noise, blur) with a QR in slight perspective; returns the
    frame and the QR symbol's true corners (TL, TR, BR, BL)."""
    rng = np.random.default_rng(seed)
    h, w = 1080, 1920
    frame = np.clip(170 + np.linspace(-30, 30, w)[None, :] + np.linspace(-20, 20, h)[:, None], 0, 255).astype(np.uint8)
    for _ in range(30):
        x, y = int(rng.integers(0, w - 300)), int(rng.integers(0, h - 40))
        cv2.rectangle(frame, (x, y), (x + int(rng.integers(50, 300)), y + 20), int(rng.integers(40, 120)), -1)
    corners = np.zeros((4, 2), np.float32)
    if payload:
        side = int(h * height_fraction)
        qr = np.asarray(zxingcpp.create_barcode(payload, F.QRCode, ec_level="M").to_image(add_quiet_zones=False))
        qr = cv2.copyMakeBorder(cv2.resize(qr, (side, side), interpolation=cv2.INTER_NEAREST),
                                side // 8, side // 8, side // 8, side // 8, cv2.BORDER_CONSTANT, value=255)
        n = qr.shape[0]
        cx, cy = 700.0, 400.0
        src = np.float32([[0, 0], [n, 0], [n, n], [0, n]])
        dst = np.float32([[cx, cy], [cx + n * 1.06, cy + n * 0.03], [cx + n * 0.98, cy + n * 1.06],
                          [cx - n * 0.03, cy + n * 0.99]])
        m = cv2.getPerspectiveTransform(src, dst)
        warped = cv2.warpPerspective(qr, m, (w, h))
        mask = cv2.warpPerspective(np.full_like(qr, 255), m, (w, h))
        frame = np.where(mask > 128, (warped * 0.75 + 30).astype(np.uint8), frame)
        q = side // 8  # quiet zone: symbol corners are q px inside the label
        inner = np.float32([[q, q], [n - q, q], [n - q, n - q], [q, n - q]])
        corners = cv2.perspectiveTransform(inner[None], m)[0]
    frame = cv2.GaussianBlur(frame, (0, 0), 0.8) + rng.normal(0, 6, (h, w))
    return cv2.cvtColor(np.clip(frame, 0, 255).astype(np.uint8), cv2.COLOR_GRAY2BGR), corners


def load(path: Path) -> np.ndarray:
    gray = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    if gray is None:  # OpenCV rejects 1-pixel-high WebP files (falsepositives-1/1x1.webp, 1x100.webp)
        gray = np.ascontiguousarray(np.asarray(Image.open(path).convert("L")))
    return gray


def label(path: Path) -> str:
    return path.with_suffix(".txt").read_bytes().decode("utf-8")


def texts(found: list[Barcode]) -> list[str]:
    return [b.text for b in found]


# --- generated codes --------------------------------------------------------------------------------------------

def test_qr_utf8_chinese_with_and_without_eci() -> None:
    text = "不见面审批：社保卡补办，受理编号 2024-0042"
    for image in (render(text, F.QRCode), qr_without_eci(text.encode("utf-8"))):
        (found,) = decode(image)
        assert (found.text, found.raw, found.symbology) == (text, text.encode("utf-8"), "QRCode")


def test_qr_gb18030_chinese_without_eci() -> None:
    text = "办事指南：请携带身份证原件到3号窗口"
    raw = text.encode("gb18030")
    (found,) = decode(qr_without_eci(raw))
    assert (found.text, found.raw, found.source) == (text, raw, "zxing")


def test_qr_gb18030_marked_as_binary_eci_899() -> None:
    # zxing-cpp's writer marks bytes() content with ECI 899 ("8-bit binary"): no charset, so guess.
    text = "缴费成功，请保留凭证"
    (found,) = decode(render(text.encode("gb18030"), F.QRCode))
    assert found.text == text


def test_qr_gb18030_declared_by_eci_32() -> None:
    text = "燃气费缴费凭证"
    (found,) = decode(render(text, F.QRCode, eci=32))
    assert found.raw == text.encode("gb18030")
    assert found.text == text


@pytest.mark.parametrize(("text", "eci"), [("ﾖﾐﾎﾄ", 20), ("ÀÉÈÊ", 3)])
def test_declared_charset_beats_the_gb_guess(text: str, eci: int) -> None:
    # Both byte strings read as GB2312 hanzi (D6 D0 CE C4 = "中文"); the ECI says what they are.
    (found,) = decode(render(text, F.QRCode, eci=eci))
    assert found.text == text


@needs_zbar
def test_zbar_path_returns_raw_qr_bytes_and_decodes_gb18030(monkeypatch: pytest.MonkeyPatch) -> None:
    # With zxing-cpp knocked out, the text must come from zbar's raw bytes, not from zbar's charset guess
    # (which turns GBK into unrelated hanzi).
    monkeypatch.setattr(engines._ZxPass, "read", lambda self, variant, text_mode=None: [])
    text = "水费电费燃气费一次缴清"
    (found,) = decode(qr_without_eci(text.encode("gb18030")))
    assert (found.text, found.source) == (text, "zbar")


def test_qr_shift_jis_half_width_katakana_is_not_taken_for_gbk() -> None:
    raw = "ﾃﾞｻﾞｲﾝQR http://d-qr.net/ex/".encode("shift_jis")
    (found,) = decode(qr_without_eci(raw))
    assert found.text == "ﾃﾞｻﾞｲﾝQR http://d-qr.net/ex/"


def test_qr_latin1_bytes_without_eci() -> None:
    (found,) = decode(qr_without_eci("Müller café".encode("latin-1")))
    assert found.text == "Müller café"


@pytest.mark.parametrize(("content", "fmt", "name"), [
    ("6901234567892", F.EAN13, "EAN-13"),
    ("96385074", F.EAN8, "EAN-8"),
    ("KIOSK-2024-0042", F.Code128, "Code128"),
    ("SN-4711", F.DataMatrix, "DataMatrix"),
])
def test_generated_codes_decode_once_with_corners_on_the_symbol(content: str, fmt: zxingcpp.BarcodeFormat,
                                                               name: str) -> None:
    image = render(content, fmt, scale=3)
    found = decode(image)
    assert [(b.text, b.symbology, b.source) for b in found] == [(content, name, "zxing")]  # zbar's copy merged
    xs = [x for x, _ in found[0].corners]
    assert len(found[0].corners) == 4
    assert 30 <= min(xs) and max(xs) <= image.shape[1] - 30  # on the symbol, not on the margin


def test_formats_restrict_what_is_returned() -> None:
    qr = render("QR-PART", F.QRCode)
    ean = render("6901234567892", F.EAN13, scale=3)
    page = np.full((600, 900), 255, np.uint8)
    page[20:20 + qr.shape[0], 20:20 + qr.shape[1]] = qr
    page[300:300 + ean.shape[0], 400:400 + ean.shape[1]] = ean
    assert sorted(texts(decode(page))) == ["6901234567892", "QR-PART"]
    assert texts(decode(page, formats=["EAN-13"])) == ["6901234567892"]
    assert texts(decode(page, formats="QRCode")) == ["QR-PART"]
    bgra = cv2.cvtColor(page, cv2.COLOR_GRAY2BGRA)
    assert sorted(texts(decode(bgra))) == sorted(texts(decode_frame(bgra[:, :, :3]))) == ["6901234567892", "QR-PART"]


@pytest.mark.parametrize(("content", "fmt", "degrees"), [
    ("ROTATED QR 30", F.QRCode, 30), ("6901234567892", F.EAN13, 90), ("6901234567892", F.EAN13, 45),
    ("KIOSK-2024-0042", F.Code128, 180), ("KIOSK-2024-0042", F.Code128, 40),  # 40°: only the turned45 rescue
])
def test_rotated_codes(content: str, fmt: zxingcpp.BarcodeFormat, degrees: float) -> None:
    assert texts(decode(turn(render(content, fmt, scale=3), degrees))) == [content]


@pytest.mark.parametrize(("content", "fmt"), [("DARK MODE PHONE", F.QRCode), ("6901234567892", F.EAN13)])
def test_inverted_codes(content: str, fmt: zxingcpp.BarcodeFormat) -> None:
    assert texts(decode(255 - render(content, fmt, scale=3))) == [content]


@pytest.mark.parametrize(("content", "fmt", "sigma"), [("BLURRED QR", F.QRCode, 1.5), ("6901234567892", F.EAN13, 2.0)])
def test_blurred_codes(content: str, fmt: zxingcpp.BarcodeFormat, sigma: float) -> None:
    image = cv2.GaussianBlur(render(content, fmt, scale=3), (0, 0), sigma)
    assert texts(decode(image)) == [content]


def test_big_still_is_downscaled_but_corners_are_in_input_pixels() -> None:
    page = np.full((2400, 3200, 3), 235, np.uint8)
    qr = cv2.cvtColor(render(PAYLOAD, F.QRCode, scale=8, margin=0), cv2.COLOR_GRAY2BGR)
    page[1500:1500 + qr.shape[0], 2000:2000 + qr.shape[1]] = qr
    (found,) = decode(page)
    tl, _, br, _ = found.corners
    assert found.text == PAYLOAD
    assert abs(tl[0] - 2032) < 12 and abs(tl[1] - 1532) < 12  # 4-module quiet zone of 8 px inside the paste
    assert abs(br[0] - (2000 + qr.shape[1] - 32)) < 12 and abs(br[1] - (1500 + qr.shape[0] - 32)) < 12


# --- camera frames ----------------------------------------------------------------------------------------------

def test_decode_frame_reads_the_qr_in_a_1080p_frame_with_corners() -> None:
    frame, truth = camera_frame(seed=3)
    (found,) = decode_frame(frame)
    assert found.text == PAYLOAD
    assert np.abs(np.array(found.corners) - truth).max() < 10


def test_decode_frame_reads_a_camera_frame_on_one_core() -> None:
    # Its speed (goal < 30 ms median) is measured by bench/bench_barcode.py, not asserted here.
    frame, _ = camera_frame(seed=5)
    previous = cv2.getNumThreads()
    cv2.setNumThreads(1)
    try:
        assert texts(decode_frame(frame)) == [PAYLOAD]
    finally:
        cv2.setNumThreads(previous)


def test_decode_frame_budget_limits_the_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    # The first step (locate, read the first region) always runs; every later one only while the budget
    # lasts: with none, one region read (a big region's twice: every format but PDF417, then PDF417
    # sharpened); with plenty, the first six regions, the first region again across its bars, sharpened,
    # PDF417 unsharpened if big, and by zbar (no zxing-cpp call), the next three code-shaped regions (not lines
    # of print) across their bars and sharpened, the first region at 2x (if small enough), the other regions,
    # then every whole-frame pass (the inverted one twice: every matrix code at half size, QR at full size).
    frame, _ = camera_frame(seed=7, payload=None)
    calls: list[str] = []
    real = engines._ZxPass.read
    monkeypatch.setattr(engines._ZxPass, "read", lambda self, variant, *a: calls.append(variant.name) or real(self, variant, *a))
    found_regions = regions(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY))
    assert len(found_regions) > 1
    big = frame_module._LiveFormats.of(None).split

    def plain(region: Region) -> list[str]:
        return ["region", "region-pdf417-sharp"] if big(region) else ["region"]

    read_order = frame_module.code_shaped_first(found_regions)
    assert decode_frame(frame, budget_ms=0.0) == [] and calls == plain(read_order[0])
    calls.clear()
    assert decode_frame(frame, budget_ms=1e6) == []
    first_cut = pp.cut_out(pp.identity(frame[:, :, 0]), found_regions[0].box(), found_regions[0].angle)
    up2 = ["region-up2-sharp"] if max(first_cut.shape) <= 900 else []
    hard = 1 + min(3, sum(code_shaped(r) for r in found_regions[1:]))
    rescues = (["region-bars", "region-sharp"] + (["region-pdf417"] if big(found_regions[0]) else [])
               + ["region-bars", "region-sharp"] * (hard - 1) + up2)
    assert calls == ([c for r in read_order[:6] for c in plain(r)] + rescues
                     + [c for r in read_order[6:] for c in plain(r)]
                     + ["half", "original", "inverted", "inverted", "rot90"])   # inverted: half, then QR at full


def test_frame_without_code_gives_nothing() -> None:
    frame, _ = camera_frame(seed=7, payload=None)
    assert decode_frame(frame) == []
    assert decode(frame) == []


# --- inputs, errors, engines ------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(1, 1), (1, 100), (100, 1), (3, 3, 3), (0, 5), (0, 5, 3), (4, 4, 1)])
def test_degenerate_images_give_nothing(shape: tuple[int, ...]) -> None:
    image = np.zeros(shape, np.uint8)
    assert decode(image) == [] and decode_frame(image) == []


def test_bad_inputs_raise() -> None:
    with pytest.raises(ValueError, match="uint8"):
        decode(np.zeros((10, 10), np.float32))
    with pytest.raises(ValueError, match="shape"):
        decode(np.zeros((10, 10, 2), np.uint8))
    with pytest.raises(ValueError, match="unknown symbologies"):
        decode(np.zeros((10, 10), np.uint8), formats=["QR"])
    with pytest.raises(ValueError, match="at least one"):
        decode_frame(np.zeros((10, 10), np.uint8), formats=[])
    assert "QRCode" in SYMBOLOGIES and "EAN-13" in SYMBOLOGIES


def test_missing_pyzbar_falls_back_to_zxing_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyzbar", None)  # import of pyzbar now raises ImportError
    monkeypatch.setitem(sys.modules, "pyzbar.wrapper", None)
    wrapper, qr_binary, problem = engines._load_zbar()
    assert wrapper is None and qr_binary is None and "libzbar0" in problem
    for name, value in (("_ZBAR", wrapper), ("_ZBAR_QR_BINARY", qr_binary), ("_ZBAR_PROBLEM", problem)):
        monkeypatch.setattr(engines, name, value)
    status = engines_available()
    assert status["zxing"] is True and status["zbar"] is False and "apt-get install libzbar0" in status["message"]
    assert [(b.text, b.source) for b in decode(render("STILL WORKS", F.QRCode))] == [("STILL WORKS", "zxing")]


def test_engines_available_reports_both_here() -> None:
    status = engines_available()
    assert status["zxing"] is True
    assert isinstance(status["zbar"], bool) and isinstance(status["message"], str)
    assert status["message"] == "" or not status["zbar"] or not status["zbar_qr"]


# --- charset rules ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("社保卡".encode("utf-8"), "社保卡"),
    ("北京市朝阳区建国路88号".encode("gb18030"), "北京市朝阳区建国路88号"),
    ("今度のバージョン".encode("shift_jis"), "今度のバージョン"),
    ("ｺﾝﾋﾟｭｰﾀﾞ".encode("shift_jis"), "ｺﾝﾋﾟｭｰﾀﾞ"),
    ("caf\xe9".encode("latin-1"), "café"),
    ("侈靡".encode("gb18030"), "侈靡"),  # B3 DE = "ｳﾞ" in Shift_JIS: one mark is no evidence of Japanese
])
def test_payload_text(raw: bytes, expected: str) -> None:
    assert payload_text(raw) == expected


@settings(max_examples=30, deadline=None, database=None)
@given(st.text(max_size=40))
def test_payload_text_keeps_any_utf8(text: str) -> None:
    assert payload_text(text.encode("utf-8")) == text


@settings(max_examples=40, deadline=None, database=None)
@given(h=st.integers(8, 300), w=st.integers(8, 300), fx=st.floats(0, 1), fy=st.floats(0, 1),
       op=st.sampled_from(["half", "up2", "turned30", "turned45", "rot90", "rot180"]))
def test_variant_maps_pixels_back_to_the_input(h: int, w: int, fx: float, fy: float, op: str) -> None:
    x, y = int(fx * (w - 1)), int(fy * (h - 1))
    image = np.full((h, w), 255, np.uint8)  # white like the fill of turned(), one black pixel
    image[y, x] = 0
    base = pp.identity(image)
    variant = {"half": lambda: pp.scaled(base, 0.5, "half"), "up2": lambda: pp.scaled(base, 2.0, "up2"),
               "turned30": lambda: pp.turned(base, 30.0), "turned45": lambda: pp.turned(base, 45.0),
               "rot90": lambda: pp.rotated_90(base), "rot180": lambda: pp.rotated_180(base)}[op]()
    vy, vx = np.unravel_index(int(np.argmin(variant.image)), variant.image.shape)
    ((bx, by),) = pp.map_points(variant, [(float(vx), float(vy))])
    tolerance = 1.0 if op == "half" else 0.75  # half: the dot lands in one of 2x2 averaged pixels
    assert abs(bx - x) <= tolerance + 0.5 and abs(by - y) <= tolerance + 0.5


# --- zxing-cpp corpus subset ---------------------------------------------------------------------------------------

@needs_corpus
@pytest.mark.parametrize("name", ["10.png", "17.webp", "26.webp", "30.png", "31.webp", "33.png", "qr-inv-1.webp"])
def test_corpus_qr_charsets_and_inversion(name: str) -> None:
    path = CORPUS / "qrcode-2" / name  # Shift_JIS kana/kanji, half-width katakana, UTF-8 hanzi, GB2312 阿
    assert texts(decode(load(path), formats=["QRCode"])) == [label(path)]


@needs_corpus
@needs_zbar
@pytest.mark.parametrize(("folder", "name", "degrees"), [
    ("ean13-2", "01.webp", 0), ("ean13-2", "21.webp", 180), ("ean13-4", "03.webp", 0), ("qrcode-4", "08.webp", 0),
])
def test_corpus_images_only_zbar_reads(folder: str, name: str, degrees: int) -> None:
    path = CORPUS / folder / name
    image = load(path) if degrees == 0 else cv2.rotate(load(path), cv2.ROTATE_180)
    kind = {"ean13": "EAN-13", "qrcode": "QRCode"}[folder.split("-")[0]]
    assert [(b.text, b.source) for b in decode(image, formats=[kind])] == [(label(path), "zbar")]


@needs_corpus
@pytest.mark.parametrize(("folder", "name", "rotate"), [
    ("ean13-1", "35.webp", False),  # zxing-cpp also returns a phantom "7034759003930" next to the code
    ("ean13-4", "19.webp", False),  # zbar also returns a phantom "8882412014989"
    ("ean13-4", "02.webp", True),  # zbar phantom "8288412014989" at 180°
    ("ean13-1", "37.webp", True),  # zbar misreads "1040183002834" at 180°
    ("code128-1", "6.png", False),  # FNC4 Latin-1 text; zbar drops the high bit ("ssss1234...")
    ("ean13-2", "17.webp", False),  # neither engine: CLAHE rescue
    ("ean13-1", "36.webp", True),  # neither engine: unsharp rescue
])
def test_corpus_exactly_the_right_text(folder: str, name: str, rotate: bool) -> None:
    path = CORPUS / folder / name
    image = cv2.rotate(load(path), cv2.ROTATE_180) if rotate else load(path)
    kind = {"ean13": "EAN-13", "code128": "Code128"}[folder.split("-")[0]]
    assert texts(decode(image, formats=[kind])) == [label(path)]


@needs_corpus
@pytest.mark.parametrize("folder", ["falsepositives-1", "falsepositives-2"])
def test_corpus_false_positive_images_give_nothing(folder: str) -> None:
    images = [p for p in sorted((CORPUS / folder).iterdir()) if p.suffix in {".png", ".jpg", ".webp"}]
    assert len(images) >= 20
    decoded = {}
    for path in images:
        image = load(path)
        found = decode(image) + decode_frame(image)
        if found:
            decoded[path.name] = texts(found)
    assert decoded == {}
