"""Values a notebook recorded with ``record(name, value)`` (kernel/display/record.ts).

``record`` shows a display_data output whose metadata carries ``{"statarb": {"record": {"name", "value",
"type"}}}`` (as scrapbook's ``glue`` does), so the value survives in any executed notebook — papermill,
nbclient, JupyterLab. Non-finite numbers travel as the strings ``"NaN"``, ``"Infinity"``, ``"-Infinity"``
with ``type: "number"``. A name recorded more than once keeps every value in order (MLflow steps).
"""
from __future__ import annotations

import math

KEY = "statarb"


def _value(rec: dict):
    v = rec.get("value")
    if rec.get("type") == "number" and isinstance(v, str):
        return float(v.replace("Infinity", "inf"))
    return v


def read_records(nb) -> dict[str, list]:
    """name → every value recorded under it, in cell order."""
    out: dict[str, list] = {}
    for cell in nb.get("cells", []):
        for o in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            rec = (o.get("metadata") or {}).get(KEY, {}).get("record")
            if isinstance(rec, dict) and isinstance(rec.get("name"), str):
                out.setdefault(rec["name"], []).append(_value(rec))
    return out


def is_metric(v) -> bool:
    """Numbers and booleans (as 0/1) are MLflow metrics; strings, arrays and objects are not."""
    return isinstance(v, (int, float))


def split_records(records: dict[str, list]) -> tuple[dict[str, float], dict[str, object]]:
    """(metrics: the last numeric value of each name, values: the last value of every other name)."""
    metrics, values = {}, {}
    for name, vs in records.items():
        last = vs[-1]
        if is_metric(last):
            metrics[name] = float(last)
        else:
            values[name] = last
    return metrics, values


def json_safe(v):
    """NaN/±Infinity → strings, so that sweep.json stays strict JSON."""
    if isinstance(v, float) and not math.isfinite(v):
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
    if isinstance(v, dict):
        return {k: json_safe(x) for k, x in v.items()}
    if isinstance(v, list):
        return [json_safe(x) for x in v]
    return v
