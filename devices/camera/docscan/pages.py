"""Synthetic Chinese document pages for the scene generator: forms, notices, certificates and ID cards.

Everything printed here is made up (names like 张三, a sample ID number, invented offices); nothing refers to a
real person. Pages are drawn upright with Pillow at a requested pixel size and cached, because text layout is
the slow part of a scene and the simulated camera renders the same page many times.
"""
from __future__ import annotations

import functools
from typing import Callable

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .geom import PAPER_MM

_FONT_DIRS = ("/usr/share/fonts/opentype/noto/", "/usr/share/fonts/truetype/wqy/")
# (file, face index): Noto CJK collections hold JP, KR, SC, ... faces; index 2 is Simplified Chinese.
_FONTS = {
    "sans": [("NotoSansCJK-Regular.ttc", 2), ("wqy-zenhei.ttc", 0)],
    "bold": [("NotoSansCJK-Bold.ttc", 2), ("wqy-zenhei.ttc", 0)],
    "serif": [("NotoSerifCJK-Regular.ttc", 2), ("wqy-zenhei.ttc", 0)],
    "serif_bold": [("NotoSerifCJK-Bold.ttc", 2), ("wqy-zenhei.ttc", 0)],
    "mono": [("NotoSansCJK-Regular.ttc", 5), ("wqy-zenhei.ttc", 1)],
}

# kind -> (paper, landscape)
PAGE_KINDS: dict[str, tuple[str, bool]] = {
    "form": ("a4", False),
    "text": ("a4", False),
    "certificate": ("a4", True),
    "notice_a5": ("a5", False),
    "id_front": ("id_card", True),
    "id_back": ("id_card", True),
}

_PHRASES = (
    "根据有关规定", "为进一步优化政务服务", "申请人应当如实填写", "本表一式两份", "请携带本人有效身份证件",
    "办理时限为五个工作日", "逾期未领取的", "相关材料经审核无误后", "可通过自助终端查询办理进度",
    "不见面审批", "一网通办", "材料齐全符合法定形式", "予以受理", "特此通知", "如有疑问请咨询窗口工作人员",
    "社会保险参保登记", "个人所得税", "不动产登记", "户籍迁移", "营业执照变更", "住房公积金提取",
    "经办机构应当在收到申请之日起", "按照属地管理原则", "实行首问负责制", "全面推行告知承诺制",
    "申请材料清单见附件", "本通知自发布之日起施行", "各有关单位务必高度重视", "认真组织实施",
)
_NAMES = ("张三", "李四", "王五", "赵六", "陈七", "刘一")
_ADDR = ("北京市东城区示例街道样本胡同1号", "上海市浦东新区演示路88弄3号", "广州市天河区测试大道100号",
         "成都市武侯区示范街12号")
_OFFICES = ("示例市政务服务中心", "样本区行政审批局", "演示县人力资源和社会保障局", "示范市不动产登记中心")
_TITLES_FORM = ("个体工商户登记申请表", "社会保险参保登记表", "不动产登记申请书", "户籍业务申请表")
_TITLES_TEXT = ("关于做好社会保险缴费工作的通知", "关于推行政务服务自助办理的公告", "办事指南", "告知承诺书")


@functools.lru_cache(maxsize=256)
def font(style: str, px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A CJK font of the given style and pixel size, falling back to Pillow's built-in font."""
    for name, index in _FONTS[style]:
        for d in _FONT_DIRS:
            try:
                return ImageFont.truetype(d + name, max(px, 4), index=index)
            except OSError:
                continue
    return ImageFont.load_default(size=max(px, 4))


def id_number(rng: np.random.Generator) -> str:
    """A synthetic 18-digit resident ID number with a valid ISO 7064 MOD 11-2 check character."""
    body = "110105" + f"{rng.integers(1950, 2005)}{rng.integers(1, 13):02d}{rng.integers(1, 29):02d}"
    body += f"{rng.integers(0, 1000):03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]
    return body + check


def page_size_px(kind: str, long_side: int) -> tuple[int, int]:
    """(width, height) in pixels of an upright page of this kind whose long side is ``long_side``."""
    paper, landscape = PAGE_KINDS[kind]
    short_mm, long_mm = PAPER_MM[paper]
    short = int(round(long_side * short_mm / long_mm))
    return (long_side, short) if landscape else (short, long_side)


class _Canvas:
    """A Pillow page with millimetre coordinates, so layouts read like a print specification."""

    def __init__(self, kind: str, long_side: int, rng: np.random.Generator) -> None:
        self.w, self.h = page_size_px(kind, long_side)
        paper, _ = PAGE_KINDS[kind]
        self.ppm = long_side / PAPER_MM[paper][1]  # pixels per millimetre
        tint = rng.integers(-6, 4, size=3)
        self.img = Image.new("RGB", (self.w, self.h), tuple(int(v) for v in 248 + tint))
        self.draw = ImageDraw.Draw(self.img)
        self.rng = rng

    def px(self, mm: float) -> int:
        return int(round(mm * self.ppm))

    def text(self, x: float, y: float, s: str, size_mm: float, style: str = "serif",
             fill: tuple[int, int, int] = (25, 25, 25), anchor: str = "la") -> float:
        """Draw text at (x, y) mm; returns its width in mm."""
        f = font(style, self.px(size_mm))
        self.draw.text((self.px(x), self.px(y)), s, font=f, fill=fill, anchor=anchor)
        return f.getlength(s) / self.ppm

    def rect(self, x0: float, y0: float, x1: float, y1: float, width_mm: float = 0.3,
             outline: tuple[int, int, int] = (30, 30, 30), fill: tuple[int, int, int] | None = None) -> None:
        self.draw.rectangle((self.px(x0), self.px(y0), self.px(x1), self.px(y1)), outline=outline, fill=fill,
                            width=max(1, self.px(width_mm)))

    def line(self, x0: float, y0: float, x1: float, y1: float, width_mm: float = 0.3,
             fill: tuple[int, int, int] = (30, 30, 30)) -> None:
        self.draw.line((self.px(x0), self.px(y0), self.px(x1), self.px(y1)), fill=fill,
                       width=max(1, self.px(width_mm)))

    def sentence(self, n_chars: int) -> str:
        out = ""
        while len(out) < n_chars:
            out += str(self.rng.choice(_PHRASES)) + str(self.rng.choice(["，", "，", "。", "；", "、"]))
        return out[:n_chars - 1] + "。"

    def paragraphs(self, x0: float, y: float, x1: float, y_end: float, size_mm: float, leading: float = 1.8
                   ) -> float:
        """Justified-looking body text with the Chinese two-character first-line indent; returns the end y."""
        per_line = max(4, int((x1 - x0) / size_mm))
        while y < y_end:
            n_lines = int(self.rng.integers(2, 6))
            text = self.sentence(per_line * n_lines - 2 - int(self.rng.integers(0, per_line - 2)))
            lines = [text[: per_line - 2]] + [text[per_line - 2 + i * per_line: per_line - 2 + (i + 1) * per_line]
                                              for i in range((len(text) - per_line + 2 + per_line - 1) // per_line)]
            for i, ln in enumerate(lines):
                if y >= y_end or not ln:
                    break
                self.text(x0 + (2 * size_mm if i == 0 else 0), y, ln, size_mm)
                y += size_mm * leading
        return y

    def seal(self, cx: float, cy: float, r_mm: float, label: str) -> None:
        """A red round official-style seal (star and ring of text), semi-transparent like real ink."""
        layer = Image.new("RGBA", self.img.size, (0, 0, 0, 0))
        d = ImageDraw.Draw(layer)
        red = (200, 30, 35, 190)
        r, c = self.px(r_mm), (self.px(cx), self.px(cy))
        d.ellipse((c[0] - r, c[1] - r, c[0] + r, c[1] + r), outline=red, width=max(2, r // 14))
        star = [(c[0] + 0.32 * r * np.cos(a - np.pi / 2) * (1 if k % 2 == 0 else 0.4),
                 c[1] + 0.32 * r * np.sin(a - np.pi / 2) * (1 if k % 2 == 0 else 0.4))
                for k, a in enumerate(np.linspace(0, 2 * np.pi, 11)[:-1])]
        d.polygon(star, fill=red)
        f = font("bold", max(4, int(r * 0.22)))
        for i, ch in enumerate(label):
            a = -np.pi + 0.15 * np.pi + (0.7 * np.pi) * i / max(1, len(label) - 1)
            d.text((c[0] + 0.72 * r * np.cos(a), c[1] + 0.72 * r * np.sin(a)), ch, font=f, fill=red, anchor="mm")
        self.img.paste(Image.alpha_composite(self.img.convert("RGBA"), layer).convert("RGB"))


def _form(cv: _Canvas) -> None:
    rng = cv.rng
    cv.text(105, 22, str(rng.choice(_TITLES_FORM)), 7.0, "bold", anchor="ma")
    cv.text(20, 36, "编号：No. %07d" % rng.integers(0, 10**7), 3.2, "sans")
    cv.text(190, 36, "填表日期：2024年  月  日", 3.2, "sans", anchor="ra")
    name, ink = str(rng.choice(_NAMES)), (30, 50, 150)  # blue ballpoint fill-ins
    rows = [("姓名", name, "性别", "男"), ("出生日期", "1949年12月31日", "民族", "汉"),
            ("公民身份号码", id_number(rng), None, None), ("联系电话", "138%04d0000" % rng.integers(0, 9999), None, None),
            ("住址", str(rng.choice(_ADDR)), None, None)]
    y, rh = 42.0, 11.0
    for label, value, l2, v2 in rows:
        cv.rect(20, y, 190, y + rh)
        cv.line(52, y, 52, y + rh)
        cv.text(23, y + 3.5, label, 3.5, "sans")
        cv.text(55, y + 3.0, value, 4.2, "sans", fill=ink)
        if l2:
            cv.line(120, y, 120, y + rh)
            cv.line(145, y, 145, y + rh)
            cv.text(123, y + 3.5, l2, 3.5, "sans")
            cv.text(148, y + 3.0, v2 or "", 4.2, "sans", fill=ink)
        y += rh
    for label, height in (("申请事项", 60.0), ("提交材料", 45.0), ("备注", 30.0)):
        cv.rect(20, y, 190, y + height)
        cv.line(52, y, 52, y + height)
        cv.text(23, y + height / 2 - 2, label, 3.5, "sans")
        cv.paragraphs(55, y + 3, 187, y + height - 6, 3.3)
        y += height
    cv.text(120, y + 10, "申请人签名：", 3.8, "sans")
    cv.text(150, y + 9, name, 5.0, "sans", fill=ink)
    cv.text(120, y + 20, "日期：2024年6月18日", 3.8, "sans")
    cv.text(105, 285, "本表由" + str(rng.choice(_OFFICES)) + "监制", 2.8, "sans", fill=(90, 90, 90), anchor="ma")


def _text(cv: _Canvas) -> None:
    rng = cv.rng
    cv.text(105, 28, str(rng.choice(_TITLES_TEXT)), 6.5, "serif_bold", anchor="ma")
    cv.text(25, 45, "各有关单位、广大市民：", 4.0)
    y = cv.paragraphs(25, 53, 185, 240, 4.0)
    office = str(rng.choice(_OFFICES))
    cv.text(185, y + 12, office, 4.0, anchor="ra")
    cv.text(185, y + 20, "2024年6月18日", 4.0, anchor="ra")
    if rng.random() < 0.7:
        cv.seal(160, y + 16, 20, office)
    cv.text(105, 283, "— 1 —", 3.5, anchor="ma")


def _notice(cv: _Canvas) -> None:
    rng = cv.rng
    cv.text(74, 20, "受理通知书", 6.0, "serif_bold", anchor="ma")
    cv.text(110, 30, "受字〔2024〕第%04d号" % rng.integers(1, 9999), 3.2, anchor="ra")
    cv.text(18, 40, str(rng.choice(_NAMES)) + "：", 3.8)
    y = cv.paragraphs(18, 48, 130, 160, 3.8)
    office = str(rng.choice(_OFFICES))
    cv.text(130, y + 10, office, 3.6, anchor="ra")
    cv.text(130, y + 17, "2024年6月18日", 3.6, anchor="ra")
    cv.seal(108, y + 13, 16, office)


def _certificate(cv: _Canvas) -> None:
    rng = cv.rng
    colour = tuple(int(v) for v in rng.choice([(160, 40, 40), (170, 130, 40), (40, 80, 140)]))
    cv.rect(12, 12, 285, 198, width_mm=3.0, outline=colour)  # type: ignore[arg-type]
    cv.rect(17, 17, 280, 193, width_mm=0.6, outline=colour)  # type: ignore[arg-type]
    for x, y in ((17, 17), (268, 17), (17, 181), (268, 181)):
        cv.rect(x, y, x + 12, y + 12, width_mm=0.8, outline=colour)  # type: ignore[arg-type]
    title = str(rng.choice(["荣誉证书", "登记证书", "资格证书"]))
    cv.text(148.5, 40, "  ".join(title), 14.0, "serif_bold", fill=colour, anchor="ma")  # type: ignore[arg-type]
    cv.text(40, 80, str(rng.choice(_NAMES)) + " 同志：", 6.0)
    cv.paragraphs(40, 95, 258, 140, 5.5, leading=1.7)
    office = str(rng.choice(_OFFICES))
    cv.text(250, 155, office, 5.0, anchor="ra")
    cv.text(250, 165, "二〇二四年六月", 5.0, anchor="ra")
    cv.seal(225, 158, 22, office)
    cv.text(40, 180, "证书编号：%010d" % rng.integers(0, 10**10), 3.5, "sans")


def _id_background(cv: _Canvas) -> None:
    """Pale guilloche-like background of a card (not a copy of any real security print)."""
    arr = np.asarray(cv.img, dtype=np.float32)
    yy, xx = np.mgrid[0:cv.h, 0:cv.w].astype(np.float32) / cv.ppm
    wave = 0.5 + 0.5 * np.sin(xx * 1.3 + 2.0 * np.sin(yy * 0.35)) * np.cos(yy * 0.9)
    tint = np.array([205, 225, 235], np.float32) + 25 * wave[..., None] * np.array([0.3, 0.6, 1.0], np.float32)
    arr = 0.55 * arr + 0.45 * np.clip(tint, 0, 255)
    cv.img = Image.fromarray(arr.astype(np.uint8))
    cv.draw = ImageDraw.Draw(cv.img)


def _id_front(cv: _Canvas) -> None:
    _id_background(cv)
    rng, label, ink = cv.rng, (40, 90, 140), (20, 20, 20)
    cv.text(6, 7, "姓  名", 2.6, "sans", fill=label)
    cv.text(17, 6.3, str(rng.choice(_NAMES)), 3.6, "sans", fill=ink)
    cv.text(6, 14, "性  别", 2.6, "sans", fill=label)
    cv.text(17, 13.6, "男", 3.0, "sans", fill=ink)
    cv.text(28, 14, "民  族", 2.6, "sans", fill=label)
    cv.text(38, 13.6, "汉", 3.0, "sans", fill=ink)
    cv.text(6, 21, "出  生", 2.6, "sans", fill=label)
    cv.text(17, 20.6, "1949  年  12  月  31  日", 3.0, "sans", fill=ink)
    cv.text(6, 28, "住  址", 2.6, "sans", fill=label)
    addr = str(rng.choice(_ADDR))
    cv.text(17, 27.6, addr[:11], 3.0, "sans", fill=ink)
    cv.text(17, 32.6, addr[11:], 3.0, "sans", fill=ink)
    cv.text(6, 45, "公民身份号码", 2.6, "sans", fill=label)
    cv.text(27, 44.3, "11010519491231002X" if rng.random() < 0.5 else id_number(rng), 3.4, "mono", fill=ink)
    photo = Image.new("RGB", (cv.px(22), cv.px(28)), (225, 232, 240))  # a silhouette, clipped to its box
    d = ImageDraw.Draw(photo)
    d.ellipse((cv.px(5), cv.px(3), cv.px(17), cv.px(18)), fill=(120, 120, 125))
    d.ellipse((cv.px(1), cv.px(16), cv.px(21), cv.px(38)), fill=(120, 120, 125))
    cv.img.paste(photo, (cv.px(58), cv.px(6)))
    cv.text(69, 36, "样本 SAMPLE", 1.8, "sans", fill=(200, 60, 60), anchor="ma")


def _id_back(cv: _Canvas) -> None:
    _id_background(cv)
    label, ink = (40, 90, 140), (20, 20, 20)
    cx, cy, r = cv.px(14), cv.px(14), cv.px(8.5)  # a plain red disc with a star: a placeholder, not the emblem
    cv.draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(200, 40, 40))
    star = [(cx + r * 0.7 * np.cos(a - np.pi / 2) * (1 if k % 2 == 0 else 0.4),
             cy + r * 0.7 * np.sin(a - np.pi / 2) * (1 if k % 2 == 0 else 0.4))
            for k, a in enumerate(np.linspace(0, 2 * np.pi, 11)[:-1])]
    cv.draw.polygon(star, fill=(250, 210, 60))
    cv.text(50, 9, "中华人民共和国", 4.4, "bold", fill=ink, anchor="ma")
    cv.text(50, 17, "居 民 身 份 证", 5.6, "bold", fill=ink, anchor="ma")
    cv.text(14, 38, "签发机关", 2.6, "sans", fill=label)
    cv.text(28, 37.6, "示例市公安局样本分局", 3.0, "sans", fill=ink)
    cv.text(14, 45, "有效期限", 2.6, "sans", fill=label)
    cv.text(28, 44.6, "2015.01.01-2035.01.01", 3.0, "sans", fill=ink)


_LAYOUTS: dict[str, Callable[[_Canvas], None]] = {
    "form": _form, "text": _text, "certificate": _certificate, "notice_a5": _notice,
    "id_front": _id_front, "id_back": _id_back,
}


@functools.lru_cache(maxsize=128)
def _render_cached(kind: str, seed: int, long_side: int) -> np.ndarray:
    cv = _Canvas(kind, long_side, np.random.default_rng([seed, 0xD0C]))
    _LAYOUTS[kind](cv)
    bgr = np.ascontiguousarray(np.asarray(cv.img)[:, :, ::-1])
    bgr.setflags(write=False)
    return bgr


def render_page(kind: str, seed: int = 0, *, long_side: int = 1200) -> np.ndarray:
    """An upright page of ``kind`` (see PAGE_KINDS) as a read-only BGR uint8 image; same seed, same page."""
    if kind not in _LAYOUTS:
        raise ValueError(f"unknown page kind {kind!r}; choose from {sorted(_LAYOUTS)}")
    return _render_cached(kind, int(seed), int(long_side))
