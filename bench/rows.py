"""bench/rows.py: bench/rows.ts for the benches whose summariser is Python (bench/kernel).

Same schema, same file (bench/results/<area>[.<part>].rows.json, written atomically: tmp + rename),
same ratio direction: `ratio` is statarb's lead, above 1 = statarb ahead (peer/statarb for a time,
statarb/peer for a rate; `lead()` computes it). Read by bench/rows-print.ts, printed by scripts/bench.
"""
import datetime
import json
import math
import os
import re

VERDICTS = ("met", "missed", "info")
FIELDS = {"row", "statarb", "peer", "peerName", "ratio", "unit", "target", "verdict", "load", "cpu", "note"}
NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
RESULTS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")


def lead(statarb, peer, kind):
    """statarb's lead over the peer: peer/statarb for a time (lower is better), statarb/peer for a rate."""
    if kind not in ("time", "rate"):
        raise TypeError(f'lead: kind must be "time" or "rate", got {kind!r}')
    for name, v in (("statarb", statarb), ("peer", peer)):
        if not isinstance(v, (int, float)) or not math.isfinite(v) or v <= 0:
            raise ValueError(f"lead: {name} must be a finite number > 0, got {v!r}")
    return peer / statarb if kind == "time" else statarb / peer


def load_now():
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def _check_row(row, i):
    at = f"row {i} ({row.get('row')!r})" if isinstance(row, dict) else f"row {i}"
    if not isinstance(row, dict):
        raise TypeError(f"{at} must be a dict, got {row!r}")
    unknown = set(row) - FIELDS
    if unknown:
        raise TypeError(f"{at}: unknown fields {sorted(unknown)} (allowed: {', '.join(sorted(FIELDS))})")
    for k, nullable in (("row", False), ("unit", False), ("load", False), ("target", True)):
        v = row.get(k, "__missing__")
        if not ((v is None and nullable) or (isinstance(v, str) and v.strip())):
            raise TypeError(f"{at}.{k} must be a non-empty string{' or None' if nullable else ''}, got {v!r}")
    figures = [(k, row.get(k, "__missing__")) for k in ("statarb", "peer", "ratio")]
    if "cpu" in row:
        figures += [(f"cpu.{k}", (row["cpu"] or {}).get(k, "__missing__")) for k in ("statarb", "peer", "ratio")]
    for k, v in figures:
        if not (v is None or (isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v))):
            raise TypeError(f"{at}.{k} must be a finite number or None, got {v!r}")
    if row.get("verdict") not in VERDICTS:
        raise TypeError(f"{at}.verdict must be one of {', '.join(VERDICTS)}, got {row.get('verdict')!r}")


def write_rows(area, rows, part=None, command=None, directory=RESULTS_DIR):
    """Checks every row, then writes bench/results/<area>[.<part>].rows.json atomically; returns its path."""
    if not isinstance(area, str) or not NAME.match(area):
        raise TypeError(f"write_rows: area must match {NAME.pattern}, got {area!r}")
    if part is not None and (not isinstance(part, str) or not NAME.match(part)):
        raise TypeError(f"write_rows: part must match {NAME.pattern}, got {part!r}")
    for i, r in enumerate(rows):
        _check_row(r, i)
    now = datetime.datetime.now(datetime.timezone.utc)
    doc = {"area": area}
    if part is not None:
        doc["part"] = part
    doc["written"] = now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"
    if command is not None:
        doc["command"] = command
    doc["rows"] = [{"area": area, **r} for r in rows]
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, f"{area if part is None else area + '.' + part}.rows.json")
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    os.replace(tmp, path)
    return path
