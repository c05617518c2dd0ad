"""Peers of bench/ticks/bench.ts, timed inside Python (interpreter start excluded).
Usage: peers.py DIR  -> one JSON line: pandas read_csv / read_parquet / DataFrame-from-arrays seconds,
merge_asof seconds on the same trades and quotes the TypeScript side uses (DIR/trades.*, DIR/quotes.*),
and the like-for-like peer of statarb's as-of join from its store: pandas reading the same raw tables
(DIR/*_raw.parquet, loaded untimed into an in-memory DuckDB of the release statarb embeds) through
DuckDB's Python API (.df()), then merge_asof by the integer symbol code, as statarb joins them."""
import json, sys, time

def timed(fn):
    """(result, wall seconds, CPU seconds of this process: all its threads, DuckDB's included) of fn()."""
    w, c = time.perf_counter(), time.process_time()
    r = fn()
    return r, time.perf_counter() - w, time.process_time() - c
import numpy as np
import pandas as pd
import duckdb

d = sys.argv[1]
out = {}
(tr, qu), out["pandas_read_csv"], out["pandas_read_csv_cpu"] = timed(lambda: (pd.read_csv(f"{d}/trades.csv"), pd.read_csv(f"{d}/quotes.csv")))
(tr, qu), out["pandas_read_parquet"], out["pandas_read_parquet_cpu"] = timed(lambda: (pd.read_parquet(f"{d}/trades.parquet"), pd.read_parquet(f"{d}/quotes.parquet")))
cols_t = {c: tr[c].to_numpy() for c in tr.columns}; cols_q = {c: qu[c].to_numpy() for c in qu.columns}
_, out["pandas_from_arrays"], out["pandas_from_arrays_cpu"] = timed(lambda: (pd.DataFrame(cols_t), pd.DataFrame(cols_q)))
tr["ts"] = pd.to_datetime(tr["ts"]); qu["ts"] = pd.to_datetime(qu["ts"])
j, out["pandas_merge_asof"], out["pandas_merge_asof_cpu"] = timed(lambda: pd.merge_asof(tr, qu, on="ts", by="sym"))
out["rows"] = [len(tr), len(qu), len(j)]
# the same DataFrames with the symbol as an integer code (what statarb's TickColumns hold): pandas' best case
codes = {s: k for k, s in enumerate(sorted(set(tr["sym"]) | set(qu["sym"])))}
tr_c = tr.assign(sym=tr["sym"].map(codes).astype(np.int32)); qu_c = qu.assign(sym=qu["sym"].map(codes).astype(np.int32))
_, out["pandas_merge_asof_codes"], out["pandas_merge_asof_codes_cpu"] = timed(lambda: pd.merge_asof(tr_c, qu_c, on="ts", by="sym"))

con = duckdb.connect(":memory:", config={"threads": 2})
for t in ("trades", "quotes"):
    con.execute(f"CREATE TABLE {t}_raw AS SELECT * FROM read_parquet('{d}/{t}_raw.parquet')")
def from_store():
    t = con.execute("SELECT ts, sid, price, size, side FROM trades_raw").df()
    q = con.execute("SELECT ts, sid, bid, ask, bid_size, ask_size FROM quotes_raw").df()
    return t, q
(dt, dq), out["duckdb_df"], out["duckdb_df_cpu"] = timed(from_store)
jd, out["duckdb_df_merge_asof"], out["duckdb_df_merge_asof_cpu"] = timed(lambda: pd.merge_asof(dt, dq, on="ts", by="sid"))
out["duckdb_rows"] = [len(dt), len(dq), len(jd)]
con.close()
print(json.dumps(out))
