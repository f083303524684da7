"""Labelled data for training: a city's spreadsheet of handled messages, or the cases here.

A spreadsheet (.xlsx; .csv/.tsv also read) needs a label column and at least one text
column; the header names vary by city and system, so the common synonyms are accepted.
Labels are taxonomy categories given by code ("03" / "03.12.04") or by name ("城乡建设",
"城乡建设/城乡规划/违章建筑", or a name that is unique in the taxonomy); they are rolled up
to the label level (一级分类 by default).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dangjian.appeals.choices import Status

TITLE, TEXT, LABEL = "主题", "详情", "类别"
SYNONYMS: dict[str, tuple[str, ...]] = {
    TITLE: (
        "主题",
        "留言主题",
        "标题",
        "诉求标题",
        "留言标题",
        "事项标题",
        "工单标题",
        "问题标题",
        "诉求主题",
        "title",
    ),
    TEXT: (
        "详情",
        "留言详情",
        "内容",
        "诉求内容",
        "留言内容",
        "问题描述",
        "诉求描述",
        "事项内容",
        "工单内容",
        "反映内容",
        "具体内容",
        "来电内容",
        "描述",
        "description",
        "text",
    ),
    LABEL: (
        "类别",
        "一级分类",
        "分类",
        "诉求分类",
        "留言分类",
        "问题分类",
        "事项分类",
        "一级标签",
        "标签",
        "类型",
        "诉求类型",
        "问题类型",
        "业务类型",
        "category",
        "label",
    ),
}
# Statuses in which a case's category has been confirmed by the people who handled it.
HANDLED = (Status.HANDLED, Status.CLOSED, Status.RATED)


class DataError(ValueError):
    """The file or its labels cannot be used (message in Chinese)."""


@dataclass
class Labelled:
    titles: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    unknown: Counter[str] = field(default_factory=Counter)
    unlabelled: int = 0
    notes: list[str] = field(default_factory=list)
    overrides_used: int = 0

    def add(self, title: str, text: str, code: str) -> None:
        self.titles.append(title)
        self.texts.append(text)
        self.codes.append(code)

    def __len__(self) -> int:
        return len(self.codes)


def _clean_header(value: Any) -> str:
    return re.sub(r"[\s*＊:：()（）]", "", str(value or "")).lower()


def find_columns(header: list[Any]) -> dict[str, int]:
    """Column index of 主题/详情/类别 from the header; DataError names what is missing."""
    cleaned = [_clean_header(h) for h in header]
    found: dict[str, int] = {}
    for key, names in SYNONYMS.items():
        for name in names:
            if name.lower() in cleaned:
                found[key] = cleaned.index(name.lower())
                break
    missing = []
    if LABEL not in found:
        missing.append(LABEL)
    if TITLE not in found and TEXT not in found:
        missing += [TITLE, TEXT]
    if missing:
        lines = [f"缺少列：{key}（可用列名：{'、'.join(SYNONYMS[key][:8])}）" for key in missing]
        have = "、".join(str(h) for h in header if str(h or "").strip()) or "（空）"
        raise DataError("\n".join([*lines, f"表头为：{have}"]))
    return found


def read_rows(path: Path) -> list[list[Any]]:
    """All rows of the first sheet (xlsx) or of a csv/tsv file, the header first."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise DataError(f"文件不存在：{path}")
    if suffix in (".csv", ".tsv", ".txt"):
        raw = path.read_bytes()
        for enc in ("utf-8-sig", "gb18030"):
            try:
                content = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise DataError("无法识别文件编码（请使用 UTF-8 或 GBK）")
        delimiter = "\t" if suffix == ".tsv" or "\t" in content.split("\n", 1)[0] else ","
        return [
            row
            for row in csv.reader(io.StringIO(content), delimiter=delimiter)
            if any(c.strip() for c in row)
        ]
    if suffix not in (".xlsx", ".xlsm"):
        raise DataError(f"不支持的文件类型：{path.suffix}（请使用 .xlsx，或 .csv/.tsv）")
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a broken or renamed file
        raise DataError(f"无法读取 Excel 文件：{exc}") from exc
    try:
        ws = wb.worksheets[0]
        return [list(row) for row in ws.iter_rows(values_only=True) if any(c not in (None, "") for c in row)]
    finally:
        wb.close()


class Taxonomy:
    """Label → category code at ``level``, by code, name path, or a name unique in the taxonomy."""

    def __init__(self, level: int = 1) -> None:
        from dangjian.appeals.models import Category

        self.level = level
        rows = list(Category.objects.filter(active=True).values_list("code", "name", "level", "parent__code"))
        self.by_code = {code: (name, lvl) for code, name, lvl, _ in rows}
        self.by_path: dict[str, str] = {}
        names: dict[str, list[str]] = {}
        for code, name, _lvl, _parent in rows:
            names.setdefault(name, []).append(code)
        for code in self.by_code:
            parts = code.split(".")
            path = "/".join(self.by_code[".".join(parts[: i + 1])][0] for i in range(len(parts)))
            self.by_path[path] = code
        self.unique_names = {n: codes[0] for n, codes in names.items() if len(codes) == 1}
        self.top_names = {name: code for code, (name, lvl) in self.by_code.items() if lvl == 1}

    def name(self, code: str) -> str:
        return self.by_code.get(code, (code, 0))[0]

    def roll_up(self, code: str) -> str | None:
        parts = code.split(".")
        if len(parts) < self.level:
            return None
        up = ".".join(parts[: self.level])
        return up if up in self.by_code else None

    def code_for(self, label: Any) -> str | None:
        raw = str(label or "").strip()
        if not raw:
            return None
        key = re.sub(r"\s+", "", raw)
        code = (
            (key if key in self.by_code else None)
            or self.top_names.get(key)
            or self.by_path.get(re.sub(r"[>／\\|-]", "/", key))
            or self.unique_names.get(key)
        )
        return self.roll_up(code) if code else None


def from_rows(rows: list[list[Any]], taxonomy: Taxonomy) -> Labelled:
    if not rows:
        raise DataError("文件为空")
    cols = find_columns(rows[0])
    out = Labelled()
    for key in (TITLE, TEXT):
        if key not in cols:
            out.notes.append(f"未找到“{key}”列，仅用{TEXT if key == TITLE else TITLE}训练")
    for row in rows[1:]:

        def cell(key: str, row: list[Any] = row) -> str:
            i = cols.get(key)
            return str(row[i]).strip() if i is not None and i < len(row) and row[i] is not None else ""

        title, text, label = cell(TITLE), cell(TEXT), cell(LABEL)
        if not (title or text):
            continue
        if not label:
            out.unlabelled += 1
            continue
        code = taxonomy.code_for(label)
        if code is None:
            out.unknown[label] += 1
            continue
        out.add(title, text, code)
    return out


def from_file(path: Path, taxonomy: Taxonomy) -> Labelled:
    return from_rows(read_rows(path), taxonomy)


def latest_overrides() -> dict[int, str]:
    """case id → the category code staff chose last (改判)."""
    from dangjian.intel.models import Override

    out: dict[int, str] = {}
    for case_id, code in Override.objects.order_by("at", "id").values_list("case_id", "chosen_code"):
        out[case_id] = code
    return out


def add_overrides(data: Labelled, taxonomy: Taxonomy, *, exclude: Iterable[int] = ()) -> None:
    """Append every overridden case with the category staff chose (it wins over the model's)."""
    from dangjian.appeals.models import Case

    chosen = latest_overrides()
    skip = set(exclude)
    ids = [pk for pk in chosen if pk not in skip]
    for pk, title, text in (
        Case.objects.filter(pk__in=ids).values_list("pk", "title", "description").iterator()
    ):
        code = taxonomy.roll_up(chosen[pk])
        if code:
            data.add(title, text, code)
            data.overrides_used += 1


def from_cases(taxonomy: Taxonomy) -> Labelled:
    """Handled cases with their confirmed category; a staff override's choice wins."""
    from dangjian.appeals.models import Case

    out = Labelled()
    chosen = latest_overrides()
    handled = Case.objects.filter(status__in=HANDLED, merged_into__isnull=True).exclude(pk__in=list(chosen))
    for title, text, code in handled.values_list("title", "description", "category__code").iterator():
        rolled = taxonomy.roll_up(code)
        if rolled:
            out.add(title, text, rolled)
    add_overrides(out, taxonomy)
    return out
