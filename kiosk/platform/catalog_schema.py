"""The service-item schema (政务服务事项), shared by the kiosk and the reference platform.

One item per TOML file under config/catalog/. Field names follow the national catalogue
(GB/T 39554, 办事指南 / 实施清单 elements) where a name exists; see docs/catalog.md.
Every text a citizen reads is bilingual: ``{ zh = "...", en = "..." }``.

Validation happens on load and names the file, the item and the field that is wrong.
"""
from __future__ import annotations

import hashlib
import json
import re
import tomllib
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Model):
    """A text shown to citizens, Chinese first."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.en if lang.startswith("en") else self.zh


class ItemType(StrEnum):
    LICENSING = "行政许可"
    CONFIRMATION = "行政确认"
    PAYMENT = "行政给付"
    RULING = "行政裁决"
    REWARD = "行政奖励"
    FILING = "行政备案"
    OTHER_POWER = "其他行政权力"
    PUBLIC_SERVICE = "公共服务"


class DeliveryMethod(StrEnum):
    PICKUP = "pickup"  # 窗口自取
    EXPRESS = "express"  # 邮寄 (EMS / express waybill)
    ELECTRONIC = "electronic"  # 电子证照 / download
    SELF_PRINT = "self_print"  # printed at this kiosk


# The delivery methods that produce something wherever the kiosk stands (see Item.deliveries): 本机自助打印
# produces the result only on a kiosk with a working A4 printer and only for a 秒批 item, a runtime fact.
PRODUCED_DELIVERY = frozenset({DeliveryMethod.PICKUP, DeliveryMethod.EXPRESS})


class FieldType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    PHONE = "phone"
    ID_NUMBER = "id_number"
    CHOICE = "choice"
    TEXTAREA = "textarea"
    BOOL = "bool"


class Choice(_Model):
    value: str
    label: Text


class FormField(_Model):
    """One field of the application form.

    ``source`` says where the value comes from before the citizen sees it: ``card.<attr>`` (the ID card:
    name, gender, nation, birth_date, address, id_number, issuer, valid_from, valid_until),
    ``shared.<key>`` (government data sharing, 数据共享), or ``applicant`` (typed by the citizen).
    """

    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    label: Text
    type: FieldType = FieldType.TEXT
    required: bool = True
    source: Annotated[str, Field(pattern=r"^(applicant|card\.[a-z_]+|shared\.[a-z_.]+)$")] = "applicant"
    editable: bool = True
    pattern: str | None = None  # regular expression the value must match (anchored)
    max_length: int = Field(default=100, ge=1, le=2000)
    choices: tuple[Choice, ...] = ()
    hint: Text | None = None
    example: str | None = None  # a valid value, shown as "例如 …" and typed by the autopilot; must match pattern

    @field_validator("pattern")
    @classmethod
    def _pattern_compiles(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                re.compile(v)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression: {exc}") from None
        return v

    @model_validator(mode="after")
    def _choices_for_choice(self) -> "FormField":
        if self.type == FieldType.CHOICE and not self.choices:
            raise ValueError("a choice field needs choices")
        if self.example is not None and self.pattern and not re.fullmatch(self.pattern, self.example):
            raise ValueError(f"example {self.example!r} does not match pattern {self.pattern!r}")
        return self


class MaterialForm(StrEnum):
    ORIGINAL = "原件"
    COPY = "复印件"
    ORIGINAL_OR_COPY = "原件或复印件"
    ELECTRONIC = "电子文件"


class MaterialSource(StrEnum):
    APPLICANT = "applicant"  # the citizen lays it under the document camera
    E_LICENCE = "e_licence"  # the government already holds it (电子证照): nothing to scan
    CARD = "card"  # taken from the ID card read (both sides printed from chip data and camera)


class CaptureKind(StrEnum):
    A4 = "a4"
    A5 = "a5"
    ID_CARD = "id_card"  # 身份证正反面 on one page
    PHOTO = "photo"
    ANY = "any"


class Material(_Model):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    name: Text
    form: MaterialForm = MaterialForm.ORIGINAL
    paper: bool = True  # 纸质 (True) or electronic only
    copies: int = Field(default=1, ge=1, le=20)
    required: bool = True
    source: MaterialSource = MaterialSource.APPLICANT
    licence_type: str | None = None  # e-licence catalogue code when source = e_licence
    capture: CaptureKind = CaptureKind.A4
    min_pages: int = Field(default=1, ge=0, le=50)
    max_pages: int = Field(default=10, ge=1, le=100)
    note: Text | None = None

    @model_validator(mode="after")
    def _check(self) -> "Material":
        if self.source == MaterialSource.E_LICENCE and not self.licence_type:
            raise ValueError("an e_licence material needs licence_type")
        if self.min_pages > self.max_pages:
            raise ValueError("min_pages is larger than max_pages")
        return self


class TimeLimit(_Model):
    legal_days: int = Field(ge=0)  # 法定办结时限, working days
    promised_days: int = Field(ge=0)  # 承诺办结时限, working days (0 = 即办)
    review_days: int | None = Field(None, ge=0)  # 秒批 item sent to manual review: its 承诺时限, working days
    note: Text | None = None  # (optional) e.g. "法定时限为30日（自然日）", "不含考试时间", manual-review time for 秒批


class FeeOption(_Model):
    """The amount due when the form field named by ``Fee.by_field`` holds ``value`` (e.g. 一次/二次签注)."""

    value: str
    amount_fen: int = Field(ge=0)


class Fee(_Model):
    amount_fen: int = Field(default=0, ge=0)  # in 分 (1/100 yuan), never floats for money
    basis: Text | None = None  # 收费依据
    # (optional) the amount is decided by the bill looked up from the form (水电煤): amount_fen stays 0
    from_bill: bool = False
    # (optional) the amount depends on a choice field of the form: ``by_field`` names it and ``options``
    # give the amount per choice value; ``amount_fen`` is then the smallest option (shown before choosing)
    by_field: str | None = None
    options: tuple[FeeOption, ...] = ()

    @property
    def charged(self) -> bool:
        return self.amount_fen > 0

    @model_validator(mode="after")
    def _check(self) -> "Fee":
        if self.from_bill and (self.amount_fen or self.by_field or self.options):
            raise ValueError("a fee from the bill has amount_fen = 0 and no by_field/options")
        if bool(self.by_field) != bool(self.options):
            raise ValueError("by_field and options go together")
        if self.options:
            values = [o.value for o in self.options]
            if len(set(values)) != len(values):
                raise ValueError("duplicate fee option values")
            if self.amount_fen != min(o.amount_fen for o in self.options):
                raise ValueError("amount_fen must be the smallest option amount")
        return self

    def amount_for(self, values: dict[str, object]) -> int | None:
        """Amount in 分 for the given form values; None when it comes from the bill or the choice is unknown."""
        if self.from_bill:
            return None
        if self.by_field:
            chosen = values.get(self.by_field)
            return next((o.amount_fen for o in self.options if o.value == chosen), None)
        return self.amount_fen


class Rule(_Model):
    """One 秒批 rule: a check on shared data or the form; all must hold for an instant approval."""

    field: str  # "shared.education.degree", "form.age", "card.age"
    op: Literal["eq", "ne", "in", "not_in", "gte", "lte", "exists", "true", "false"]
    value: str | int | float | bool | list[str] | None = None
    reason: Text  # shown when the rule fails (why it goes to manual review)


class InstantApproval(_Model):
    enabled: bool = False
    rules: tuple[Rule, ...] = ()
    credit_gate: bool = True  # applicants on a credit blacklist / with records go to manual review


CardKind = Literal["resident", "gat_residence", "foreign_2017", "foreign_2023"]
ALL_CARDS: tuple[CardKind, ...] = ("resident", "gat_residence", "foreign_2017", "foreign_2023")


class Item(_Model):
    code: Annotated[str, Field(pattern=r"^[0-9A-Z]{12}$")]  # 基本目录事项编码
    implementation_code: str | None = None  # 实施编码
    name: Text
    short_name: Text | None = None
    type: ItemType
    department: Text  # 主管部门
    agency: Text  # 实施机关
    category: Text  # 主题分类 (by department)
    life_events: tuple[Text, ...] = ()  # 生命周期/主题: 就业, 出行, 开办企业, ...
    keywords: tuple[str, ...] = ()
    legal_basis: tuple[Text, ...] = Field(min_length=1)
    conditions: tuple[Text, ...] = Field(min_length=1)
    time_limit: TimeLimit
    fee: Fee = Fee()
    online_depth: int = Field(default=4, ge=1, le=4)  # 网办深度 1..4 (4 = 全程网办)
    onsite_visits: int = Field(default=0, ge=0, le=5)
    instant_approval: InstantApproval = InstantApproval()
    delivery: tuple[DeliveryMethod, ...] = (DeliveryMethod.PICKUP,)
    result: Text | None = None  # 结果名称 (证照/批文)
    form: tuple[FormField, ...] = ()
    materials: tuple[Material, ...] = ()
    needs_signature: bool = True
    needs_identity: bool = True
    kind: Literal["application", "bill_payment"] = "application"
    # the guide asks to see the person (人脸识别 / 本人核验): never 秒批 on the card alone until the kiosk's
    # face check exists; the platform sends such applications to manual review with that reason
    face_check: bool = False
    contact: Text | None = None
    # Who may apply: the ID card types this item accepts (devices.idcard.model.CardType values); any other
    # card is refused at 刷证 with ``refused_cards_advice`` (where to go instead).
    accepted_cards: tuple[CardKind, ...] = ALL_CARDS
    refused_cards_advice: Text | None = None

    @model_validator(mode="after")
    def _check(self) -> "Item":
        names = [f.name for f in self.form]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(f"duplicate form field names: {sorted(dup)}")
        ids = [m.id for m in self.materials]
        dup = {n for n in ids if ids.count(n) > 1}
        if dup:
            raise ValueError(f"duplicate material ids: {sorted(dup)}")
        if not self.delivery:
            raise ValueError("at least one delivery method is needed")
        if self.kind == "bill_payment" and self.materials:
            raise ValueError("a bill payment has no materials")
        if self.fee.from_bill and self.kind != "bill_payment":
            raise ValueError("fee.from_bill is only for kind = \"bill_payment\"")
        if self.fee.by_field:
            f = self.field(self.fee.by_field)
            if f is None or f.type != FieldType.CHOICE:
                raise ValueError(f"fee.by_field {self.fee.by_field!r} is not a choice field of the form")
            if {c.value for c in f.choices} != {o.value for o in self.fee.options}:
                raise ValueError(f"fee.options must price exactly the choices of form field {f.name!r}")
        return self

    def field(self, name: str) -> FormField | None:
        return next((f for f in self.form if f.name == name), None)

    @property
    def instant(self) -> bool:
        return self.instant_approval.enabled

    @property
    def offered_delivery(self) -> tuple[DeliveryMethod, ...]:
        """The ways offered on a kiosk without an A4 printer (``deliveries(self_print=False)``)."""
        return self.deliveries(self_print=False)

    def deliveries(self, *, self_print: bool) -> tuple[DeliveryMethod, ...]:
        """The ways of delivery the citizen may choose here: those that produce the result. ``self_print``:
        this kiosk has a working A4 printer. 本机自助打印 is offered for a 秒批 item that lists it (the
        approval's signed result prints in the same journey) and is then the default; the only other way
        kept beside it is express (the counter has nothing to hand over for a result printed here, and a
        failed print points to 我的办件). 电子证照 produces nothing yet. An item left with none is collected at
        the agency's counter. Bills keep theirs (their own journey decides)."""
        if self.kind == "bill_payment":
            return self.delivery
        if self_print and self.instant and DeliveryMethod.SELF_PRINT in self.delivery:
            return (DeliveryMethod.SELF_PRINT,) + tuple(m for m in self.delivery if m == DeliveryMethod.EXPRESS)
        offered = tuple(m for m in self.delivery if m in PRODUCED_DELIVERY)
        return offered or (DeliveryMethod.PICKUP,)


class CatalogError(ValueError):
    """A catalog file is wrong; the message names the file, the item and the field."""


def _loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def parse_item(data: dict, origin: str) -> Item:
    try:
        return Item.model_validate(data)
    except ValidationError as exc:
        code = data.get("code", "?") if isinstance(data, dict) else "?"
        lines = []
        for err in exc.errors():
            where = _loc(err["loc"]) or "(item)"
            found = err.get("input")
            found_s = "" if isinstance(found, dict) else f" (found {found!r})"
            lines.append(f"{origin}: item {code}: field {where}: {err['msg']}{found_s}")
        raise CatalogError("\n".join(lines)) from None


def load_item_file(path: Path) -> Item:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{path}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path}: cannot be read: {exc}") from None
    return parse_item(data, str(path))


def load_catalog_dir(directory: Path) -> list[Item]:
    """Load every ``*.toml`` item under ``directory`` (sorted by file name); codes must be unique."""
    items: list[Item] = []
    seen: dict[str, Path] = {}
    errors: list[str] = []
    for path in sorted(Path(directory).glob("*.toml")):
        try:
            item = load_item_file(path)
        except CatalogError as exc:
            errors.append(str(exc))
            continue
        if item.code in seen:
            errors.append(f"{path}: item {item.code}: code already used by {seen[item.code]}")
            continue
        seen[item.code] = path
        items.append(item)
    if errors:
        raise CatalogError("\n".join(errors))
    return items


def catalog_digest(items: list[Item]) -> str:
    """SHA-256 over the canonical JSON of the items: the catalog's version identity."""
    canon = json.dumps([i.model_dump(mode="json") for i in items], ensure_ascii=False, sort_keys=True,
                       separators=(",", ":"))
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()
