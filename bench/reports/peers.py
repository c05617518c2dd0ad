"""Peer side of bench/reports (one long-lived process, driven line by line by reports.ts).

Loads the same daily return series as the statarb side (raw float64 + int32 epoch-day files), imports
empyrical, quantstats and pyperfanalytics (the Python port of R's PerformanceAnalytics), then answers
one JSON request per line:
  {"py": "<expression>", "k": batch}  -> [wall ms per call, process CPU ms per call]
  {"values": {"name": "<expression>", ...}} -> {"name": value, ...}  (agreement of values, untimed)
Expressions see: r (pd.Series of returns on a DatetimeIndex), ep, qs, pa, np, pd, out (a scratch folder).
"""
import gc, json, logging, os, sys, time, warnings

warnings.simplefilter("ignore")
os.environ.setdefault("MPLBACKEND", "Agg")
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # "Arial not found" for every figure
import numpy as np, pandas as pd  # noqa: E402
import empyrical as ep  # noqa: E402
import quantstats as qs  # noqa: E402
import pyperfanalytics as pa  # noqa: E402
from scipy.stats import norm  # noqa: E402,F401

f = json.loads(sys.argv[1])
dates = pd.to_datetime(np.fromfile(f["dates"], dtype=np.int32).astype("int64"), unit="D")
r = pd.Series(np.fromfile(f["r"], dtype=np.float64), index=pd.DatetimeIndex(dates), name="strategy")
out = f["out"]
_stdout, sys.stdout = sys.stdout, sys.stderr  # quantstats/matplotlib chatter must not reach the protocol
fns = {}
_stdout.write("ready\n"); _stdout.flush()


def value(v):
    if isinstance(v, (pd.Series, np.ndarray)):
        return [None if not np.isfinite(x) else float(x) for x in np.asarray(v, dtype=float)]
    v = float(v)
    return v if np.isfinite(v) else None


for line in sys.stdin:
    req = json.loads(line)
    if "values" in req:
        res = {}
        for k, e in req["values"].items():
            try:
                res[k] = value(eval(e))
            except Exception as ex:  # a peer without the metric: say so
                res[k] = f"error: {type(ex).__name__}: {ex}"
        _stdout.write(json.dumps(res) + "\n"); _stdout.flush()
        continue
    fn = fns.get(req["py"])
    if fn is None:
        fn = fns[req["py"]] = eval("lambda: " + req["py"])
    k = req["k"]
    gc.collect()
    t0 = time.perf_counter(); c0 = time.process_time()
    for _ in range(k):
        fn()
    c1 = time.process_time(); t1 = time.perf_counter()
    _stdout.write(json.dumps([(t1 - t0) * 1e3 / k, (c1 - c0) * 1e3 / k]) + "\n"); _stdout.flush()
