"""Peers of bench/ticks/bench.ts, timed inside Python (interpreter start excluded).
Usage: peers.py DIR  -> one JSON line: pandas read_csv / read_parquet / DataFrame-from-arrays seconds and
merge_asof seconds on the same trades and quotes the TypeScript side uses (DIR/trades.*, DIR/quotes.*)."""
import json, sys, time
import numpy as np
import pandas as pd

d = sys.argv[1]
out = {}
t = time.perf_counter(); tr = pd.read_csv(f"{d}/trades.csv"); qu = pd.read_csv(f"{d}/quotes.csv"); out["pandas_read_csv"] = time.perf_counter() - t
t = time.perf_counter(); tr = pd.read_parquet(f"{d}/trades.parquet"); qu = pd.read_parquet(f"{d}/quotes.parquet"); out["pandas_read_parquet"] = time.perf_counter() - t
cols_t = {c: tr[c].to_numpy() for c in tr.columns}; cols_q = {c: qu[c].to_numpy() for c in qu.columns}
t = time.perf_counter(); a = pd.DataFrame(cols_t); b = pd.DataFrame(cols_q); out["pandas_from_arrays"] = time.perf_counter() - t
tr["ts"] = pd.to_datetime(tr["ts"]); qu["ts"] = pd.to_datetime(qu["ts"])
t = time.perf_counter()
j = pd.merge_asof(tr, qu, on="ts", by="sym")
out["pandas_merge_asof"] = time.perf_counter() - t
out["rows"] = [len(tr), len(qu), len(j)]
print(json.dumps(out))
