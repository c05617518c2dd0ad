"""bench/peer_worker.py: the Python side of bench/harness.ts (bench/stats, bench/reports).

A bench's peers script loads its data and imports its peers, then calls `serve(globals())`, which
prints "ready" and answers one JSON request per line on stdin, one JSON line each on stdout:
  {"py": "<expression>", "k": batch}  -> [wall ms per call, process CPU ms per call]
     (a full collection first, untimed; the expression is compiled once into a function)
  {"values": {"name": "<expression>", ...}} -> {"name": value, ...}  (untimed; an array or Series as a
     list with None for non-finite values, a scalar as a float or None, a failing expression as
     "error: <type>: <message>")
Expressions see the names of the dict given to `serve`. Anything the peers print goes to stderr, so
only the protocol reaches stdout. The worker exits when stdin closes.
"""
import gc
import json
import sys
import time

import numpy as np


def _value(v):
    import pandas as pd

    if isinstance(v, (pd.Series, np.ndarray)):
        return [None if not np.isfinite(x) else float(x) for x in np.asarray(v, dtype=float)]
    v = float(v)
    return v if np.isfinite(v) else None


def _values(exprs, ns):
    res = {}
    for k, e in exprs.items():
        try:
            res[k] = _value(eval(e, ns))
        except Exception as ex:  # a peer without the metric: say so
            res[k] = f"error: {type(ex).__name__}: {ex}"
    return res


def serve(ns):
    """Answers bench/harness.ts' requests until stdin closes (see the module doc)."""
    out, sys.stdout = sys.stdout, sys.stderr  # the peers' chatter must not reach the protocol
    fns = {}
    out.write("ready\n")
    out.flush()
    for line in sys.stdin:
        req = json.loads(line)
        if "values" in req:
            out.write(json.dumps(_values(req["values"], ns)) + "\n")
            out.flush()
            continue
        fn = fns.get(req["py"])
        if fn is None:
            fn = fns[req["py"]] = eval("lambda: " + req["py"], ns)
        k = req["k"]
        gc.collect()
        t0 = time.perf_counter(); c0 = time.process_time()
        for _ in range(k):
            fn()
        c1 = time.process_time(); t1 = time.perf_counter()
        out.write(json.dumps([(t1 - t0) * 1e3 / k, (c1 - c0) * 1e3 / k]) + "\n")
        out.flush()
