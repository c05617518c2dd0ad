"""Peer side of bench/reports (one long-lived process, driven line by line by reports.ts through
bench/harness.ts; the protocol is bench/peer_worker.py's).

Loads the same daily return series as the statarb side (raw float64 + int32 epoch-day files) and
imports empyrical, quantstats and pyperfanalytics (the Python port of R's PerformanceAnalytics).
Expressions see: r (pd.Series of returns on a DatetimeIndex), ep, qs, pa, np, pd, norm, out (a scratch folder).
"""
import json, logging, os, sys, warnings

warnings.simplefilter("ignore")
os.environ.setdefault("MPLBACKEND", "Agg")
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # "Arial not found" for every figure
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # bench/: peer_worker
import numpy as np, pandas as pd  # noqa: E402
import empyrical as ep  # noqa: E402
import quantstats as qs  # noqa: E402
import pyperfanalytics as pa  # noqa: E402
from scipy.stats import norm  # noqa: E402,F401
from peer_worker import serve  # noqa: E402

f = json.loads(sys.argv[1])
dates = pd.to_datetime(np.fromfile(f["dates"], dtype=np.int32).astype("int64"), unit="D")
r = pd.Series(np.fromfile(f["r"], dtype=np.float64), index=pd.DatetimeIndex(dates), name="strategy")
out = f["out"]
serve(globals())
