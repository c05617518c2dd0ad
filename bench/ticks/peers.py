"""Peers of bench/ticks/bench.ts, timed inside Python (interpreter start excluded).
Usage: peers.py DIR  -> one JSON line: pandas read_csv / read_parquet / DataFrame-from-arrays seconds and
merge_asof seconds on the same trades and quotes the TypeScript side uses (DIR/trades.*, DIR/quotes.*)."""
import json, sys, time

def timed(fn):
    """(wall seconds, CPU seconds of this process) of fn()."""
    w, c = time.perf_counter(), time.process_time()
    r = fn()
    return r, time.perf_counter() - w, time.process_time() - c
import numpy as np
import pandas as pd

d = sys.argv[1]
out = {}
(tr, qu), out["pandas_read_csv"], out["pandas_read_csv_cpu"] = timed(lambda: (pd.read_csv(f"{d}/trades.csv"), pd.read_csv(f"{d}/quotes.csv")))
(tr, qu), out["pandas_read_parquet"], out["pandas_read_parquet_cpu"] = timed(lambda: (pd.read_parquet(f"{d}/trades.parquet"), pd.read_parquet(f"{d}/quotes.parquet")))
cols_t = {c: tr[c].to_numpy() for c in tr.columns}; cols_q = {c: qu[c].to_numpy() for c in qu.columns}
_, out["pandas_from_arrays"], out["pandas_from_arrays_cpu"] = timed(lambda: (pd.DataFrame(cols_t), pd.DataFrame(cols_q)))
tr["ts"] = pd.to_datetime(tr["ts"]); qu["ts"] = pd.to_datetime(qu["ts"])
j, out["pandas_merge_asof"], out["pandas_merge_asof_cpu"] = timed(lambda: pd.merge_asof(tr, qu, on="ts", by="sym"))
out["rows"] = [len(tr), len(qu), len(j)]
print(json.dumps(out))
