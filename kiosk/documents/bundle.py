"""The material bundle (申请材料汇总): one PDF with a contents sheet -- every material of the item, how it
was provided (pages captured, shared e-licence, read from the ID card) and the SHA-256 of its pages -- then
the captured pages, one per A4 sheet, each headed with its material and page number."""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, PageBreak

from ..capture.pages import Page
from .fonts import draw_string
from .layout import CONTENT_WIDTH, P, build_pdf, grid_table, kv_table, styles


@dataclass
class BundleMaterial:
    name: str
    how: str  # "扫描 2 页", "电子证照共享", "身份证读取"
    pages: list[Page] = field(default_factory=list)

    def digest(self) -> str:
        h = hashlib.sha256()
        for p in self.pages:
            h.update(bytes(p.data))
        return h.hexdigest()[:16] if self.pages else "—"


class _PageImage(Flowable):
    """One captured page, scaled into the frame, with its material and page number above it."""

    def __init__(self, title: str, page: Page, width: float, height: float) -> None:
        super().__init__()
        self.title, self.page, self.width, self.height = title, page, width, height

    def draw(self) -> None:
        c = self.canv
        draw_string(c, 0, self.height - 10, self.title, 9)
        box_h = self.height - 16
        scale = min(self.width / self.page.width, box_h / self.page.height)
        w, h = self.page.width * scale, self.page.height * scale
        c.drawImage(ImageReader(io.BytesIO(bytes(self.page.data))), (self.width - w) / 2, box_h - h, w, h)


def material_bundle_pdf(item_name: str, number: str, applicant: str, materials: list[BundleMaterial]) -> bytes:
    st = styles()
    story = [P("申请材料汇总", st["title"]), P(item_name, st["subtitle"]),
             kv_table([("申请编号", number), ("申请人", applicant or "—"),
                       ("材料数", str(len(materials))), ("扫描页数", str(sum(len(m.pages) for m in materials)))],
                      CONTENT_WIDTH, key_width=24 * mm, pairs=True),
             P("材料清单", st["h2"])]
    rows = [[str(i), m.name, m.how, m.digest()] for i, m in enumerate(materials, 1)]
    story.append(grid_table(["序号", "材料名称", "提供方式", "页面摘要 (SHA-256)"], rows,
                            [12 * mm, CONTENT_WIDTH - 106 * mm, 42 * mm, 52 * mm]))
    frame_h = A4[1] - 32 * mm - 12
    for m in materials:
        for i, page in enumerate(m.pages, 1):
            story += [PageBreak(), _PageImage(f"{m.name}　第 {i}/{len(m.pages)} 页", page, CONTENT_WIDTH, frame_h)]
    return build_pdf(story, title=f"申请材料汇总 {number}", subject=item_name, footer=f"申请编号 {number}　{item_name}")
