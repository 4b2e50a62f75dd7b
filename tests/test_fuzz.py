"""Fuzzing: whatever bytes or text arrive, the readers and the rule-file loader either succeed or
raise a :class:`scoring.ScoringError` — never another exception.

Targets: ``read_records``, ``read_members`` and ``read_table`` on random bytes and on random but
plausible CSV / JSON / JSONL / XLSX content; ``parse_rule_set`` on random TOML-ish text and on
random mutations of every shipped rule file (delete, duplicate or swap lines, a number turned
into a string, keys swapped, a value replaced, overlay tables injected).

Each test runs ``SCORING_FUZZ_EXAMPLES`` examples (default: a count that keeps it within a few
seconds); ``SCORING_FUZZ_EXAMPLES=20000 pytest tests/test_fuzz.py`` is a long run.

Crashes already reported as bugs (and pinned by strict-xfail tests in tests/test_bad_input.py and
tests/test_rule_file_errors.py) are listed in :data:`KNOWN`, each matched by exception type *and*
the function of ``scoring`` that raised it, so a fix makes its entry dead and nothing else is
masked. ``SCORING_FUZZ_STRICT=1`` disables the list.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import os
import random
import re
import tomllib
import traceback
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

import scoring
from scoring import ScoringError, parse_rule_set
from scoring.io import read_members, read_records, read_table
from scoring.plugins import Registry
from scoring.ruleset import compile_raw, parse_toml

# Hypothesis writes a patch for a failing example with libcst, whose first import warns
# (DeprecationWarning from mypy_extensions). Under the suite's filterwarnings = error that warning,
# raised inside hypothesis's report hook, turns a fuzz failure into a pytest INTERNALERROR that
# hides the falsifying example. Import it once here, quietly.
with warnings.catch_warnings(), contextlib.suppress(ImportError):
    warnings.simplefilter("ignore", DeprecationWarning)
    import hypothesis.extra._patching  # noqa: F401

REPO = Path(__file__).resolve().parents[1]
SHIPPED = sorted(REPO.glob("plugins/*/src/*/rule_sets/*.toml"))
SAMPLES = Path(__file__).parent / "data" / "io"


def _examples(default: int) -> int:
    return int(os.environ.get("SCORING_FUZZ_EXAMPLES", default))


def fuzz(default: int) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Hypothesis settings for one fuzz target: ``default`` examples unless the environment says."""
    return settings(
        max_examples=_examples(default), deadline=None, derandomize=False, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                               HealthCheck.large_base_example],
    )


#: (exception type, function in src/scoring that raises it) → the bug report it belongs to.
KNOWN: dict[tuple[type[BaseException], str], str] = {
    (UnicodeDecodeError, "load_history"): "history file not UTF-8 (test_bad_input: a history file not utf8)",
}
STRICT = os.environ.get("SCORING_FUZZ_STRICT") == "1"


def _raiser(exc: BaseException) -> str:
    """The innermost function of src/scoring in the traceback of ``exc``."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/scoring/" in f.filename.replace("\\", "/")]
    return frames[-1].name if frames else "?"


def survives(call: Callable[[], object]) -> None:
    """Run ``call``: success and ScoringError are fine; a known bug is counted; anything else fails."""
    try:
        call()
    except ScoringError as exc:
        assert exc.problems, "a ScoringError always carries at least one problem"
        event(f"{type(exc).__name__}: {exc.problems[0].en[:40]}")
    except Exception as exc:
        where = _raiser(exc)
        known = KNOWN.get((type(exc), where))
        if known is None or STRICT:
            raise AssertionError(f"{type(exc).__name__} raised in {where}: {exc}") from exc
        event(f"known bug: {known}")
    else:
        event("loaded")


# --------------------------------------------------------------------------------------------
# readers
# --------------------------------------------------------------------------------------------

READERS: dict[str, Callable[..., object]] = {"records": read_records, "members": read_members, "table": read_table}
EXTENSIONS = (".csv", ".json", ".jsonl", ".xlsx")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _read_all(folder: Path, data: bytes, extension: str) -> None:
    path = folder / f"input{extension}"
    path.write_bytes(data)
    for name, reader in READERS.items():
        note(f"reader {name}")
        survives(lambda reader=reader: reader(path))  # type: ignore[misc]


@fuzz(300)
@given(data=st.binary(max_size=2048), extension=st.sampled_from(EXTENSIONS))
def test_readers_on_random_bytes(scratch: Path, data: bytes, extension: str) -> None:
    _read_all(scratch, data, extension)


@fuzz(200)
@given(data=st.binary(max_size=512) | st.builds(lambda v: json.dumps(v).encode(), json_like := st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["scorecards", "period", "rule_set_id", "rule_set_version", "accounting", "start", "end",
                         "member_id", "total", "provenance", "records"]), inner, max_size=4), max_leaves=10)))
def test_load_history_on_random_input(scratch: Path, data: bytes) -> None:
    path = scratch / "history.json"
    path.write_bytes(data)
    survives(lambda: scoring.load_history(path))


# plausible cells: codes, Chinese labels and aliases, dates in every form, numbers, and the noise
# exports carry (full-width forms, BOMs, zero-width spaces, quotes, separators, line breaks)
RECORD_HEADERS = [
    "id", "member_id", "kind", "subtype", "status", "role", "signers", "flags", "level", "quantity", "date",
    "scored_on", "same_as", "deleted", "note", "记录编号", "委员编号", "类型", "子类", "状态", "提案人身份", "联名人数",
    "标记", "级别", "数量", "日期", "立案日期", "已删除", "备注", "ＩＤ", "\ufeffid", "日 期",
]
MEMBER_HEADERS = [
    "id", "name", "sector", "committee", "group", "employer", "roles", "joined", "left", "term", "exempt", "委员编号",
    "姓名", "界别", "专委会", "身份", "任职日期", "离任日期", "届次", "免考原因",
]
HEADERS = [*RECORD_HEADERS, *MEMBER_HEADERS, "", "序号", "member_id ", "Kind"]
CELLS = [
    "", " ", "R1", "R2", "M1", "M2", "R1 ", "Ｍ１", "meeting", "会议", "提案", "proposal", "社情民意", "活动",
    "履职活动", "plenary", "全体会议", "常委会", "attended", "出席", "请假", "已立案", "联名", "第一提案人", "co",
    "first", "重点；优秀",
    "key,excellent", "省级", "2024-03-05", "2024/3/5", "2024.3.5", "2024年3月5日", "20240305", "45356", "45356.5",
    "2024-02-30", "2024-03-05 14:30", "0", "1", "-1", "1.5", "３", "１．５", "1e999999", "NaN", "Infinity", "-0",
    "是", "否", "√", "×", "true", "maybe", "常委、骨干", "委员", "主席", "=1+2", "#DIV/0!", '"', '""', ",", "\n",
    "\r\n",
    "\u200b", "\u3000", "\ufeff", "\x00", "a" * 300, "９" * 40, "💥", "\\", "'", "{", "[1, 2]",
]
cell = st.one_of(st.sampled_from(CELLS), st.text(max_size=12))


@st.composite
def grids(draw: st.DrawFn) -> list[list[str]]:
    """A header (records', members' or any columns; required ones usually present) and rows."""
    pool, required = draw(st.sampled_from([
        (RECORD_HEADERS, ["id", "member_id", "kind", "date"]), (MEMBER_HEADERS, ["id"]), (HEADERS, []),
    ]))
    header = draw(st.lists(st.sampled_from(pool), max_size=8, unique=True))
    if draw(st.integers(0, 9)):  # mostly with the required columns, so that rows get converted
        header = [*required, *[h for h in header if h not in required]]
    header = header or ["id"]
    width = len(header)
    rows = draw(st.lists(st.lists(cell, min_size=width - 1, max_size=width + 1), max_size=8))
    return [header, *rows]


def _csv_bytes(grid: list[list[str]], encoding: str, quoting: int, newline: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=quoting, lineterminator=newline)
    writer.writerows(grid)
    return out.getvalue().encode(encoding, errors="replace")


@fuzz(200)
@given(grid=grids(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"]),
       quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
       newline=st.sampled_from(["\n", "\r\n", "\r"]), cut=st.none() | st.integers(min_value=0, max_value=4000),
       raw=st.booleans())
def test_readers_on_plausible_csv(scratch: Path, grid: list[list[str]], encoding: str, quoting: int, newline: str,
                                  cut: int | None, raw: bool) -> None:
    if raw:  # hand-made: no quoting at all, so cells may break the structure
        data = "\n".join(",".join(row) for row in grid).encode(encoding, errors="replace")
    else:
        data = _csv_bytes(grid, encoding, quoting, newline)
    _read_all(scratch, data if cut is None else data[:cut], ".csv")


json_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30), st.floats(allow_nan=True),
    st.sampled_from(CELLS), st.text(max_size=10),
)
json_value = st.recursive(json_scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.text(max_size=5), inner, max_size=3), max_leaves=6)
json_object = st.one_of(
    st.fixed_dictionaries({k: st.sampled_from(CELLS) | json_scalar for k in ("id", "member_id", "kind", "date")},
                          optional={k: json_value for k in RECORD_HEADERS[3:15] if k != "date"}),
    st.dictionaries(st.sampled_from(HEADERS) | st.text(max_size=6), json_value, max_size=8),
)


@fuzz(100)
@given(items=st.lists(json_object | json_value, max_size=6), wrap=st.sampled_from([None, "records", "members", "x"]),
       lines=st.booleans(), cut=st.none() | st.integers(min_value=0, max_value=3000),
       encoding=st.sampled_from(["utf-8", "gbk", "utf-16"]))
def test_readers_on_plausible_json(scratch: Path, items: list[Any], wrap: str | None, lines: bool, cut: int | None,
                                   encoding: str) -> None:
    if lines:
        text = "\n".join(json.dumps(item, ensure_ascii=False) for item in items)
    else:
        text = json.dumps(items if wrap is None else {wrap: items}, ensure_ascii=False)
    data = text.encode(encoding, errors="replace")
    _read_all(scratch, data if cut is None else data[:cut], ".jsonl" if lines else ".json")


def _valid_xlsx() -> bytes:
    return (SAMPLES / "records.xlsx").read_bytes()


@fuzz(100)
@given(flips=st.lists(st.tuples(st.floats(min_value=0, max_value=1, exclude_max=True), st.integers(0, 255)),
                      min_size=1, max_size=8),
       cut=st.none() | st.floats(min_value=0, max_value=1))
def test_readers_on_damaged_workbooks(scratch: Path, flips: list[tuple[float, int]], cut: float | None) -> None:
    pytest.importorskip("openpyxl")
    data = bytearray(_valid_xlsx())
    for where, value in flips:
        data[int(where * len(data))] = value
    if cut is not None:
        data = data[: int(cut * len(data))]
    _read_all(scratch, bytes(data), ".xlsx")


@fuzz(40)
@given(grid=grids(), xml_noise=st.sampled_from(["", "<row>", "<c r=\"A1\" t=\"e\"><v>#N/A</v></c>", "&bogus;",
                                                "<c r=\"ZZZZ99999999\"><v>1</v></c>"]))
def test_readers_on_workbooks_with_odd_cells(scratch: Path, grid: list[list[str]], xml_noise: str) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    buffer = io.BytesIO()
    try:
        for row in grid:  # control characters cannot be stored in a workbook at all
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) for c in row])
        book.save(buffer)
    except Exception:  # openpyxl refuses some strings (control characters): not our concern
        event("openpyxl cannot write this grid")
        return
    data = buffer.getvalue()
    if xml_noise:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            parts = {name: source.read(name) for name in source.namelist()}
        sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
        parts["xl/worksheets/sheet1.xml"] = sheet_xml.replace("<sheetData>", "<sheetData>" + xml_noise, 1).encode()
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for name, part in parts.items():
                target.writestr(name, part)
        data = out.getvalue()
    _read_all(scratch, data, ".xlsx")


# --------------------------------------------------------------------------------------------
# the rule-file loader
# --------------------------------------------------------------------------------------------

_REGISTRY: Registry | None = None


def registry() -> Registry:
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = Registry.build()
    return _REGISTRY


def compile_text(text: str, path: Path | None = None) -> None:
    """Parse and compile ``text`` as if it were the file ``path`` (so relative ``extends`` work)."""
    reg = registry()
    raw = parse_toml(text, str(path) if path else "<fuzz>", path)
    compile_raw(raw, rule_types=[rt for rt, _ in reg.rule_types.values()], vocabulary=reg.vocabulary,
                resolve=reg.raw)


TOKENS = [
    "[rule_set]", "[[rules]]", "[[categories]]", "[[grades]]", "[[gates]]", "[[gates.requirements]]",
    "[[escalation]]", "[settings]", "[total]", "[rounding]", "[policy]", "[ranking]", "[[quotas]]", "[vocabulary]",
    "[patch.rules.r]", "[patch]", "[remove]", "[[eligibility]]", "[[notifications]]", "[[choices]]",
    'id = "r"', 'id = "c"', 'id = "g"', 'version = "1"', 'title = "t"', 'label = "l"', 'category = "c"',
    'type = "per_unit"', 'type = "status_points"', 'type = "fixed"', 'type = "lifecycle"', 'type = "commitment"',
    'match = { kind = "proposal" }', 'match = { kind = "meeting", status = [] }', "points = 5", "points = -1e400",
    'points = { attended = 1 }', 'points = { setting = "s" }', 's = { label = "s" }', 's = { label = "s", value = 2 }',
    "cap = 1", "floor = 2", "min = 60", "max = 60", "binding = true", 'fail_grade = "g"', 'extends = "jinan-2015"',
    'extends = "tongcheng-2019.toml"', 'extends = "./"', 'extends = 5', 'rules = ["r"]', "rules = 5", 'rules = "r"',
    'settings = "s"', "settings = [1]", "patch = 5", 'trigger = { type = "total_below", value = 1 }',
    'trigger = { type = "grade_in", grades = ["g"] }', "places = 99", 'apply_to = "x"', "x = 1979-05-27T07:32:00Z",
    "stages = []", 'items = { a = { kind = "meeting" } }', "split = { first = 2 }", "nth = 1", "=", "[", "]", "{", "}",
    '"', "\\", "\n", "\t", "#", "'''", '"""', "\ufeff",
]


@fuzz(400)
@given(st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=8)), max_size=40),
       st.sampled_from(["\n", " ", ""]))
def test_loader_on_random_toml_ish_text(tokens: list[str], sep: str) -> None:
    text = sep.join(tokens)
    note(text)
    survives(lambda: parse_rule_set(text, resolve=registry().raw))


TOML_LINE = re.compile(r"^(\s*)([A-Za-z0-9_.\-\"]+)(\s*=\s*)(.*)$")


def _mutate(text: str, rng: random.Random, n: int) -> str:
    lines = text.split("\n")
    for _ in range(n):
        if not lines:
            break
        i = rng.randrange(len(lines))
        op = rng.randrange(9)
        line = lines[i]
        assignment = TOML_LINE.match(line)
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, line)
        elif op == 2:  # a number becomes a string (or a string a number)
            if rng.random() < 0.7:
                lines[i] = re.sub(r"(?<![\w.\"])(-?\d+(?:\.\d+)?)(?![\w.\"-])", r'"\1"', line, count=1)
            else:
                lines[i] = re.sub(r'"[^"]*"', "42", line, count=1)
        elif op == 3 and assignment:  # swap the keys of two assignments
            j = rng.randrange(len(lines))
            other = TOML_LINE.match(lines[j])
            if other:
                lines[i] = assignment.group(1) + other.group(2) + assignment.group(3) + assignment.group(4)
                lines[j] = other.group(1) + assignment.group(2) + other.group(3) + other.group(4)
        elif op == 4 and assignment:  # another value
            value = rng.choice(['""', "[]", "{}", "0", "-1", "1e400", "true", '{ setting = "nope" }', "[1, 2]",
                                '"__import__(\'os\')"', "1979-05-27", '{ setting = "' + rng.choice(["a", "b"]) + '" }'])
            lines[i] = assignment.group(1) + assignment.group(2) + assignment.group(3) + value
        elif op == 5:  # swap two lines
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], line
        elif op == 6:  # an overlay table, well-formed or not
            lines.insert(i, rng.choice([
                "[patch.rules.nope]\npoints = 1", "[patch.rules]\nx = 5", 'remove = { rules = "x" }',
                "[remove]\nrules = 5", "[remove]\ncategories = [{ id = 1 }]", "[patch.grades.excellent]\nmin = 1000",
                "[patch]\nrules = 3", "[patch.settings.x]\nvalue = 1",
            ]))
        elif op == 7:  # truncate the line
            lines[i] = line[: rng.randrange(len(line) + 1)]
        else:  # a key renamed
            if assignment:
                key = assignment.group(2)
                lines[i] = assignment.group(1) + key[::-1] + assignment.group(3) + assignment.group(4)
    return "\n".join(lines)


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_loader_on_mutated_shipped_rule_files(path: Path) -> None:
    original = path.read_text(encoding="utf-8")
    compile_text(original, path)  # the unmutated file loads

    @fuzz(max(20, 200 // len(SHIPPED)))
    @given(seed=st.integers(min_value=0, max_value=2**32 - 1), n=st.integers(min_value=1, max_value=6))
    def check(seed: int, n: int) -> None:
        text = _mutate(original, random.Random(seed), n)
        note(text)
        survives(lambda: compile_text(text, path))

    check()


def _toml(value: object) -> str:
    """``value`` as a TOML value (inline tables and arrays only: any data fits on one line); TOML
    has no null, so ``None`` entries of tables and arrays are left out."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if value == value and value not in (float("inf"), float("-inf")) else "nan"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value if v is not None) + "]"
    if isinstance(value, dict):
        pairs = (f"{json.dumps(str(k), ensure_ascii=False)} = {_toml(v)}" for k, v in value.items() if v is not None)
        return "{ " + ", ".join(pairs) + " }"
    raise TypeError(type(value))


KEYS = ["rule_set", "settings", "rules", "categories", "grades", "gates", "escalation", "total", "rounding", "policy",
        "patch", "remove", "vocabulary", "eligibility", "quotas", "notifications", "ranking", "choices", "id", "type",
        "points", "match", "kind", "extends", "setting", "value", "label", "cap", "floor", "min", "max", "trigger",
        "requirements", "any_of", "roles", "stages", "split", "first", "schema_version", "version", "title"]
toml_scalar = st.one_of(st.booleans(), st.integers(min_value=-(2**63), max_value=2**63 - 1),
                        st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(KEYS + CELLS[:20]),
                        st.dates())
toml_value = st.recursive(toml_scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.sampled_from(KEYS), inner, max_size=4), max_leaves=12)


@fuzz(300)
@given(st.dictionaries(st.sampled_from(KEYS), toml_value, max_size=8),
       st.fixed_dictionaries({"id": st.sampled_from(["a", "jinan-2015", "tongcheng-2019"]),
                              "extends": st.sampled_from(["jinan-2015", "tongcheng-2019", "nope"]),
                              "version": st.just("1"), "title": st.just("t")}) | st.none())
def test_loader_on_random_rule_tables(body: dict[str, Any], meta: dict[str, Any] | None) -> None:
    """Well-formed TOML of random structure: every shape the schema and overlays can meet."""
    data = dict(body)
    if meta is not None:
        data["rule_set"] = meta
    text = "\n".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in data.items())
    note(text)
    survives(lambda: parse_rule_set(text, resolve=registry().raw))


def test_known_bug_list_matches_real_raisers() -> None:
    """Every KNOWN entry names a function that exists in scoring (so an entry cannot mask by typo)."""
    modules = (scoring.ruleset.raw, scoring.ruleset.loader, scoring.engine.history)
    names = {n for module in modules for n in dir(module)} | {"walk"}
    assert {where for _, where in KNOWN} <= names


def _mutate_data(node: Any, rng: random.Random) -> Any:
    """One random change somewhere in parsed rule-file data (a copy; the original is untouched)."""
    if isinstance(node, dict) and node and rng.random() < 0.75:
        key = rng.choice(list(node))
        out = dict(node)
        op = rng.randrange(6)
        if op == 0:
            del out[key]
        elif op == 1 and len(out) > 1:  # swap two keys' values
            other = rng.choice(list(out))
            out[key], out[other] = out[other], out[key]
        elif op == 2:  # rename a key
            out[rng.choice(KEYS)] = out.pop(key)
        elif op == 3:
            out[key] = rng.choice([5, -1, 0.5, "5", "", [], {}, True, [1], {"setting": "nope"}, dt.date(2024, 2, 29)])
        else:
            out[key] = _mutate_data(out[key], rng)
        return out
    if isinstance(node, list) and node and rng.random() < 0.75:
        out_list = list(node)
        i = rng.randrange(len(out_list))
        op = rng.randrange(4)
        if op == 0:
            del out_list[i]
        elif op == 1:
            out_list.insert(i, out_list[i])  # a duplicated entry (same id)
        elif op == 2:
            same_id = out_list[i].get("id") if isinstance(out_list[i], dict) else 1
            out_list[i] = rng.choice([5, "x", {}, {"id": same_id}])
        else:
            out_list[i] = _mutate_data(out_list[i], rng)
        return out_list
    if isinstance(node, bool):
        return not node
    if isinstance(node, (int, float)):
        return rng.choice([str(node), -node, node * 1000, 0, node + 1])
    if isinstance(node, str):
        return rng.choice([node + "x", node.upper(), "", 1, node[::-1]])
    return node


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_loader_on_mutated_shipped_rule_data(path: Path) -> None:
    """The shipped files changed at the data level and written back as valid TOML, so that the
    changes reach the schema, the overlays and the cross-checks rather than the TOML parser."""
    original = tomllib.loads(path.read_text(encoding="utf-8"))
    compile_text(_dump(original), path)  # the round trip itself loads

    @fuzz(max(20, 300 // len(SHIPPED)))
    @given(seed=st.integers(min_value=0, max_value=2**32 - 1), n=st.integers(min_value=1, max_value=4))
    def check(seed: int, n: int) -> None:
        rng = random.Random(seed)
        data = original
        for _ in range(n):
            data = _mutate_data(data, rng)
        text = _dump(data)
        note(text)
        survives(lambda: compile_text(text, path))

    check()


def _dump(data: Any) -> str:
    if not isinstance(data, dict):
        return f"value = {_toml(data)}"
    return "\n".join(f"{json.dumps(str(k), ensure_ascii=False)} = {_toml(v)}" for k, v in data.items() if v is not None)
