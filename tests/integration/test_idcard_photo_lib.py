"""The WLT decoder plug-in point with a real shared library loaded through ctypes.

No vendor library can be shipped (they are proprietary), so a stand-in with the two calling conventions
seen in public code is compiled here: ``int wlt2bmp(const u8 *wlt, u8 *out)`` and
``int unpack(const char *wlt, char *out, int flag)``. It "decodes" by spreading the WLT bytes over the
102x126 BGR raster, which is enough to prove the bytes went in and a picture came out.
"""
from __future__ import annotations

import dataclasses
import shutil
import struct
import subprocess

import pytest

from devices import sim
from devices.base import EventKind
from devices.idcard import IdCardReader
from devices.idcard.photo import BMP_LEN, RAW_LEN, PhotoState, load_decoder, to_bmp
from devices.idcard.synthetic import IDENTITIES
from tests.helpers.fakes import Recorder

VENDOR_C = r"""
int wlt2bmp(const unsigned char *wlt, unsigned char *out) {
    for (int i = 0; i < 102 * 126 * 3; i++) out[i] = wlt[i % 1024];
    return 1;
}
int unpack(const char *wlt, char *out, int flag) {
    if (flag != 21) return -3;  /* vendors take a mode flag; a wrong one is refused */
    for (int i = 0; i < 102 * 126 * 3; i++) out[i] = wlt[(i * 7) % 1024];
    return 1;
}
"""


@pytest.fixture(scope="module")
def vendor_lib(tmp_path_factory):
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler to build the stand-in vendor library")
    d = tmp_path_factory.mktemp("vendor")
    (d / "wlt.c").write_text(VENDOR_C)
    lib = d / "libwlt2bmp.so"
    subprocess.run([cc, "-shared", "-fPIC", "-O1", "-o", str(lib), str(d / "wlt.c")], check=True, timeout=60)
    return lib


def test_raw_pixels_become_a_bottom_up_bmp_of_the_size_vendors_write():
    bmp = to_bmp(bytes(range(256)) * (RAW_LEN // 256) + bytes(RAW_LEN % 256))
    assert len(bmp) == BMP_LEN == 38862 and bmp[:2] == b"BM"
    width, height, _, bits = struct.unpack("<iiHH", bmp[18:30])
    assert (width, height, bits) == (102, 126, 24)
    assert to_bmp(bmp) == bmp  # a BMP file from the decoder is kept as it is


def test_the_url_names_the_vendor_library_and_the_photo_is_decoded(vendor_lib):
    url = f"sim://idcard?name=photo&wlt={vendor_lib}&wlt_symbol=wlt2bmp"
    sim.get_hardware(url).place_card(dataclasses.replace(IDENTITIES["graduate"], photo_wlt=bytes(range(256)) * 4))
    reader = IdCardReader("idcard", url)
    rec = Recorder()
    reader.subscribe(rec)
    reader.start()
    try:
        reader.arm()
        card = rec.wait_for(lambda evs: [e for e in evs if e.kind == EventKind.CARD_READ])[0].data
        assert card.photo_state == PhotoState.DECODED and len(card.photo_bmp) == BMP_LEN
        assert card.photo_bmp[54:54 + 306] == bytes(range(256)) + bytes(range(50))  # first row: the WLT bytes
        assert reader.health().info["photo_decoder"].endswith("#wlt2bmp")
    finally:
        reader.stop()


def test_a_flagged_calling_convention_and_its_return_code_are_honoured(vendor_lib):
    good, why = load_decoder(f"lib:{vendor_lib}?symbol=unpack&abi=in_out_flag&flag=21")
    assert why == "" and len(to_bmp(good.decode(bytes(range(256)) * 4))) == BMP_LEN
    bad, _ = load_decoder(f"lib:{vendor_lib}?symbol=unpack&abi=in_out_flag&flag=0")
    with pytest.raises(Exception, match="returned -3"):
        bad.decode(bytes(1024))


def test_a_missing_symbol_is_a_reason_not_a_crash(vendor_lib):
    decoder, why = load_decoder(f"lib:{vendor_lib}?symbol=DecodeWlt")
    assert decoder is None and "DecodeWlt" in why
