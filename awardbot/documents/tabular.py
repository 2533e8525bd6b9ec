"""Spreadsheet files (CSV, XLSX) read into rows keyed by canonical column names.

Both imports (the roster and the monthly assessments) read through here, so header
aliases, cell clean-up and the way problems are reported are the same for both.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from awardbot.documents.text_input import clean

Cell = str | date
"""A cleaned cell: stripped text ('' when empty), or a date from a date-formatted cell."""

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "unit_code": ("单位编码", "单位代码", "unit"),
    "unit_name": ("单位名称",),
    "unit_kind": ("单位类型", "unit_type"),
    "parent_unit": ("上级单位", "上级单位编码", "parent", "parent_code"),
    "staff_id": ("工号", "人员编号", "staff_no"),
    "name": ("姓名",),
    "roles": ("角色", "role"),
    "window_staff": ("窗口人员", "是否窗口人员"),
    "service_start": ("入职日期", "连续工龄起算日期"),
    "comprehensive": ("综合窗口", "是否综合窗口"),
    "leads": ("分管单位",),
    "contact_for": ("联系单位", "联系人单位"),
    "active": ("在职", "是否在职"),
    "month": ("月份", "考核月份"),
    "score": ("考核分", "考核得分", "分数"),
}
"""Canonical column key → other accepted header texts (compared after normalising)."""

CHINESE_NAMES = {key: aliases[0] for key, aliases in HEADER_ALIASES.items()}

_ALIAS_TO_KEY = {
    re.sub(r"[\s\-]+", "_", alias.casefold()): key
    for key, aliases in HEADER_ALIASES.items()
    for alias in (key, *aliases)
}
_LIST_SEPARATORS = re.compile(r"[;,、；，]")
_TRUE = frozenset({"yes", "y", "true", "1", "是", "√"})
_FALSE = frozenset({"no", "n", "false", "0", "否", "×"})
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_EXCEL_EPOCH = date(1899, 12, 30)


class ImportFileError(Exception):
    """The file cannot be read as a table; the message is one line naming the file."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file's content; ``row`` is the spreadsheet row number."""

    row: int | None
    column: str | None
    message: str


class TableProblemsError(Exception):
    """The file was read but its content has problems; nothing was written."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the file")


@dataclass(frozen=True)
class Row:
    number: int
    cells: dict[str, Cell]

    def text(self, column: str) -> str:
        """The cell as text ('' when empty or when the file has no such column)."""
        value = self.cells.get(column, "")
        return value.isoformat() if isinstance(value, date) else value

    def get(self, column: str) -> Cell:
        return self.cells.get(column, "")


@dataclass(frozen=True)
class Table:
    source: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]

    def column_problems(self, required: Iterable[str], optional: Iterable[str]) -> list[Problem]:
        """Required columns the file lacks, and columns that belong to another kind of file."""
        required = tuple(required)
        allowed = {*required, *optional}
        missing = [
            Problem(1, key, f"missing column (in Chinese: {CHINESE_NAMES[key]})")
            for key in required if key not in self.columns
        ]
        expected = ", ".join(sorted(allowed))
        return missing + [
            Problem(1, key, f"this column does not belong in this file (expected {expected})")
            for key in self.columns if key not in allowed
        ]


def format_problems(file_name: str, problems: Iterable[Problem]) -> list[str]:
    """One line per problem: ``roster.csv: row 7, column roles: unknown role "boss" …``."""
    lines = []
    for problem in problems:
        where = [f"row {problem.row}"] if problem.row is not None else []
        if problem.column:
            where.append(f"column {problem.column}")
        prefix = f"{file_name}: {', '.join(where)}: " if where else f"{file_name}: "
        lines.append(prefix + problem.message)
    return lines


def read_table(path: Path) -> Table:
    """Read the first sheet of an .xlsx or a .csv (UTF-8, with or without BOM, or GB18030)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw_rows = _csv_rows(path)
    elif suffix == ".xlsx":
        raw_rows = _xlsx_rows(path)
    else:
        raise ImportFileError(
            f"{path.name}: unsupported file type {path.suffix!r}; use .csv or .xlsx"
        )
    return _to_table(path.name, raw_rows)


def _csv_rows(path: Path) -> list[list[Cell]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"{path.name}: cannot read the file ({exc.strerror})") from exc
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(f"{path.name}: text is neither UTF-8 nor GB18030")
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise ImportFileError(f"{path.name}: not a valid CSV file ({exc})") from exc


def _xlsx_rows(path: Path) -> list[list[Cell]]:
    from openpyxl import load_workbook  # only the xlsx path pays for importing openpyxl

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, XML and OS errors alike
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ImportFileError(f"{path.name}: not a readable .xlsx workbook ({reason})") from exc
    try:
        sheet = workbook.worksheets[0]
        return [[_xlsx_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _xlsx_cell(value: object) -> Cell:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # staff ids and whole scores typed as numbers
    return str(value)


def _clean(value: Cell) -> Cell:
    return value if isinstance(value, date) else clean(value).replace("\u3000", " ").strip()


def _to_table(source: str, raw_rows: list[list[Cell]]) -> Table:
    rows = iter(enumerate(raw_rows, start=1))
    header = next(rows, None)
    if header is None or not any(_clean(cell) for cell in header[1]):
        raise ImportFileError(f"{source}: the file is empty (row 1 must hold the column names)")
    keys = _header_keys(source, header[1])
    return Table(source, tuple(key for key in keys if key), tuple(_data_rows(source, keys, rows)))


def _header_keys(source: str, header: list[Cell]) -> list[str | None]:
    keys: list[str | None] = []
    unknown: list[str] = []
    for cell in header:
        text = str(_clean(cell))
        if not text:
            keys.append(None)
            continue
        key = _ALIAS_TO_KEY.get(re.sub(r"[\s\-]+", "_", text.casefold()))
        if key is None:
            unknown.append(f'"{text}"')
        elif key in keys:
            raise ImportFileError(f'{source}: column "{text}" appears twice (as {key})')
        keys.append(key)
    if unknown:
        raise ImportFileError(f"{source}: unknown column(s) {', '.join(unknown)} in row 1")
    return keys


def _data_rows(
    source: str, keys: list[str | None], rows: Iterator[tuple[int, list[Cell]]]
) -> Iterator[Row]:
    for number, raw in rows:
        cells = [_clean(cell) for cell in raw]
        if not any(cells):
            continue
        for index, cell in enumerate(cells):
            if cell and (index >= len(keys) or keys[index] is None):
                raise ImportFileError(
                    f"{source}: row {number} has a value in column {index + 1}, which has no name"
                )
        yield Row(number, {key: cell for key, cell in zip(keys, cells, strict=False) if key})


# Cell values shared by both imports ------------------------------------------------


def split_list(text: str) -> list[str]:
    """Items separated by ; , 、 ； or ，, blanks dropped, order and first occurrence kept."""
    items = (item.strip() for item in _LIST_SEPARATORS.split(text))
    return list(dict.fromkeys(item for item in items if item))


def parse_flag(text: str) -> bool | None:
    """yes/no, 是/否, y/n, true/false, 1/0 → bool; anything else → None."""
    lowered = text.casefold()
    if lowered in _TRUE:
        return True
    return False if lowered in _FALSE else None


def parse_date(cell: Cell) -> date | None:
    """A date cell, or YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, YYYY年M月D日, YYYYMMDD, Excel serial."""
    if isinstance(cell, date):
        return cell
    text = cell.strip()
    try:
        if match := _DATE.fullmatch(text):
            return date(*(int(part) for part in match.groups()))
        if re.fullmatch(r"\d{8}", text):
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
        if re.fullmatch(r"\d{5}", text):  # a date cell that lost its format: days since 1899-12-30
            return _EXCEL_EPOCH + timedelta(days=int(text))
    except ValueError:
        return None
    return None
