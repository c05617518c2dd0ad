"""The grid of a sweep: ``-p NAME=V1,V2,…`` lists (their product) or a JSON/YAML grid file, checked
against the notebook's ``parameters`` cell before anything starts.

Values are parsed as ``papermill -p`` parses them (``True``/``False``/``None``, int, float, else a
string) and then as the statarb translator reads strings (a JSON list or object becomes an array or
object; kernel/papermill/statarb_papermill/translator.py). Two refinements, because the grid is checked
against the declared type of each parameter: ``true``/``false`` are booleans too (TypeScript's
spelling), and a parameter declared as a string keeps the text as written (``-p start=2018`` stays
``"2018"``, as ``papermill -r`` would), since a number there would not type-check in the notebook.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
from dataclasses import dataclass

import nbformat
from papermill.cli import _resolve_type
from statarb_papermill.translator import TypeScriptTranslator


class GridError(ValueError):
    """A bad ``-p``, grid file or notebook: refused before anything starts."""


@dataclass(frozen=True)
class Declared:
    name: str
    type: str
    default: str


def declared_parameters(nb: nbformat.NotebookNode) -> dict[str, Declared]:
    """The declarations of the cell tagged ``parameters`` (empty when there is none)."""
    cell = next((c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if cell is None:
        return {}
    out = {}
    for p in TypeScriptTranslator.inspect(cell):
        out[p.name] = Declared(p.name, (p.inferred_type_name or "None").strip(), p.default)
    return out


def split_values(text: str) -> list[str]:
    """Splits ``V1,V2,…`` at the commas outside brackets, braces and quotes."""
    items, depth, quote, start = [], 0, None, 0
    for i, ch in enumerate(text):
        if quote:
            if ch == quote and text[i - 1] != "\\":
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(text[start:i])
            start = i + 1
    items.append(text[start:])
    return [s.strip() for s in items]


_KIND_OF = {"number": "number", "bigint": "number", "string": "string", "boolean": "boolean", "array": "array", "object": "object"}


def _kind(declared_type: str) -> str | None:
    """The kind a declared or inferred type asks for, or None when any value goes (unions, expressions)."""
    t = declared_type.strip()
    if "|" in t or t in ("None", "null", "any", "unknown", ""):
        return None
    if t.endswith("[]") or t.startswith(("Array<", "ReadonlyArray<", "readonly ")):
        return "array"
    if t.startswith(("{", "Record<")):
        return "object"
    return _KIND_OF.get(t)


def _kind_of_value(v) -> str:
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    return "null"


def parse_cli_value(text: str, decl: Declared):
    """One ``-p`` item → a Python value, as papermill and the translator read it; raises GridError."""
    where = f"-p {decl.name}={text}"
    if text == "":
        raise GridError(f"{where}: empty value (values are separated by commas)")
    kind = _kind(decl.type)
    if kind == "string":
        return text
    if text in ("true", "false"):
        value = text == "true"
    else:
        value = _resolve_type(text)
    if isinstance(value, str) and text[:1] in "[{":
        try:
            value = json.loads(text)
        except ValueError as e:
            raise GridError(f"{where}: cannot parse {text!r} as a JSON {'array' if text[0] == '[' else 'object'} ({e})") from None
    return check_value(value, decl, where)


def check_value(value, decl: Declared, where: str):
    """Refuses a value whose kind does not fit the declared type (numbers must be numbers, …)."""
    kind = _kind(decl.type)
    got = _kind_of_value(value)
    if isinstance(value, float) and math.isnan(value) and kind == "number":
        return value
    if kind is not None and got != kind:
        raise GridError(f"{where}: {decl.name} is declared `{decl.type}` (default {decl.default}); {value!r} is not a {kind}")
    try:
        TypeScriptTranslator.translate(value)
    except Exception as e:  # noqa: BLE001 (the translator's own refusal, reported as a bad value)
        raise GridError(f"{where}: the statarb translator cannot write {value!r} ({e})") from None
    return value


def _unknown(name: str, declared: dict[str, Declared]) -> GridError:
    import difflib

    close = difflib.get_close_matches(name, list(declared), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    known = ", ".join(declared) or "none: the notebook has no cell tagged `parameters`"
    return GridError(f"unknown parameter {name!r}{hint} (the notebook's parameters cell declares: {known})")


_NAME = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def parse_p_options(specs: list[str], declared: dict[str, Declared]) -> dict[str, list]:
    """``["a=1,2", "b=x"]`` → ``{"a": [1, 2], "b": ["x"]}``, every name and value checked."""
    grid: dict[str, list] = {}
    for spec in specs:
        name, sep, rest = spec.partition("=")
        name = name.strip()
        if not sep or not _NAME.match(name):
            raise GridError(f"-p {spec}: expected NAME=V1,V2,… with NAME a TypeScript identifier")
        if name not in declared:
            raise _unknown(name, declared)
        if name in grid:
            raise GridError(f"-p {name} is given twice; list all its values in one -p {name}=V1,V2,…")
        grid[name] = [parse_cli_value(v, declared[name]) for v in split_values(rest)]
    return grid


def load_grid_file(path: str, declared: dict[str, Declared]) -> list[dict]:
    """A grid file: ``{name: [values…]}`` (their product) or ``[{name: value, …}, …]`` (explicit sets)."""
    import yaml

    try:
        with open(path, encoding="utf8") as f:
            text = f.read()
        data = json.loads(text) if path.endswith(".json") else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as e:
        raise GridError(f"--grid {path}: cannot read it ({e})") from None
    if isinstance(data, dict):
        for name, values in data.items():
            if not isinstance(values, list) or not values:
                raise GridError(f"--grid {path}: {name} must list at least one value, got {values!r}")
        return product_of(data, declared, f"--grid {path}")
    if isinstance(data, list) and data and all(isinstance(s, dict) for s in data):
        return explicit_sets(data, declared, f"--grid {path}")
    raise GridError(f"--grid {path}: expected a mapping of name → list of values, or a list of parameter sets")


def explicit_sets(data: list, declared: dict[str, Declared], where: str) -> list[dict]:
    """A list of parameter sets, each name and value checked."""
    for s in data:
        for name, value in s.items():
            if name not in declared:
                raise _unknown(name, declared)
            check_value(value, declared[name], f"{where}: {name}={value!r}")
    return [dict(s) for s in data]


def product_of(grid: dict[str, list], declared: dict[str, Declared], where: str = "-p") -> list[dict]:
    """Every combination, in key order then value order (as lib/backtest's expandGrid)."""
    for name, values in grid.items():
        if name not in declared:
            raise _unknown(name, declared)
        for v in values:
            check_value(v, declared[name], f"{where}: {name}={v!r}")
    names = list(grid)
    return [dict(zip(names, combo)) for combo in itertools.product(*(grid[n] for n in names))]


def run_key(notebook_bytes: bytes, params: dict) -> str:
    """The identity of one run: a hash of the notebook's content and of its parameters."""
    h = hashlib.sha256()
    h.update(notebook_bytes)
    h.update(b"\0")
    h.update(json.dumps(params, sort_keys=True, separators=(",", ":"), allow_nan=True).encode())
    return h.hexdigest()[:20]
