"""Material PDFs as page images for the workbench: rendered by poppler's pdftoppm (poppler-utils), cached.

A browser shows a PNG anywhere without a PDF plug-in; the PDF itself never leaves the platform's file store
for the page. The cache sits under the platform's data directory (``staff-pages/``) beside the files."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

MAX_PAGES = 40  # a material with more pages shows the first 40 (the rest in the file store)
WIDTH_PX = 1000  # a page's width on the workbench
TIMEOUT_S = 30.0


class RenderError(Exception):
    """pdftoppm missing, failed or timed out, or the file is not a PDF."""


def pages(pdf: Path, cache_dir: Path) -> list[Path]:
    """The PNG of each page of ``pdf`` (rendered once into ``cache_dir``)."""
    done = cache_dir / ".done"
    if not done.exists():
        if shutil.which("pdftoppm") is None:
            raise RenderError("pdftoppm is not installed (Debian package poppler-utils)")
        if pdf.read_bytes()[:5] != b"%PDF-":
            raise RenderError(f"{pdf.name} is not a PDF")
        cache_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=cache_dir.parent))
        try:
            subprocess.run(["pdftoppm", "-png", "-l", str(MAX_PAGES), "-scale-to-x", str(WIDTH_PX), "-scale-to-y",
                            "-1", str(pdf), str(tmp / "page")], check=True, capture_output=True, timeout=TIMEOUT_S)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise RenderError(f"pdftoppm could not render {pdf.name}: {exc}") from None
        (tmp / ".done").touch()
        if cache_dir.exists():
            shutil.rmtree(tmp, ignore_errors=True)  # another request rendered it meanwhile
        else:
            tmp.rename(cache_dir)
    return sorted(cache_dir.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
