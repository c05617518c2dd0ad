"""Peer side of bench/stats (one long-lived process, driven line by line by stats.ts through
bench/harness.ts; the protocol is bench/peer_worker.py's).

Loads the bench's seeded data (raw float64 files named in argv[1]) and imports the peers.
Expressions see: x10k, cx, cy, jo (2,520 × 10), oy, oxc (2,520 × 6, constant first), corr (500 × 500),
px (a 2,520 × 500 DataFrame), r2520, r100k, and adfuller, coint, coint_johansen, sm, ep, np, pd, norm.
"""
import json, os, sys, warnings

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # bench/: peer_worker
import numpy as np, pandas as pd  # noqa: E402
warnings.simplefilter("ignore")
from statsmodels.tsa.stattools import adfuller, coint  # noqa: E402,F401
from statsmodels.tsa.vector_ar.vecm import coint_johansen  # noqa: E402,F401
import statsmodels.api as sm  # noqa: E402
import empyrical as ep  # noqa: E402,F401
from scipy.stats import norm  # noqa: E402,F401
from peer_worker import serve  # noqa: E402

f = json.loads(sys.argv[1])
ld = lambda k: np.fromfile(f[k], dtype=np.float64)  # noqa: E731
x10k = ld("x10k"); cx = ld("cx"); cy = ld("cy"); jo = ld("jo").reshape(10, 2520).T.copy()
oy = ld("oy"); oxc = sm.add_constant(ld("ox").reshape(5, 2520).T.copy()); corr = ld("corr").reshape(500, 500)
px = pd.DataFrame(ld("px").reshape(500, 2520).T.copy()); r2520 = ld("r2520"); r100k = ld("r100k")
serve(globals())
