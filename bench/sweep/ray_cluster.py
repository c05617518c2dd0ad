"""A running local Ray for bench/sweep/sweep.ts's `--address` figures (not a test): starts Ray on this machine
with the options the sweep's embedded Ray uses, prints ``{"address": GCS address, "startSeconds": s}`` as one
line, and stops it (with every process it spawned) when its stdin closes. Started once, before the sweeps
it serves, so their figures leave Ray's start out. Never ``ray stop``: that would kill every Ray on the machine.

    .venv/bin/python bench/sweep/ray_cluster.py CPUS
"""
import json
import logging
import os
import sys
import time

os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
t0 = time.perf_counter()
import ray  # noqa: E402

from statarb_sweep.ray_runner import start_local_ray, stop_partial_ray  # noqa: E402

start_local_ray(ray, lambda *a, **k: None, num_cpus=int(sys.argv[1]), object_store_memory=256 << 20, include_dashboard=False,
                log_to_driver=False, logging_level=logging.WARNING, configure_logging=True)
print(json.dumps({"address": ray.get_runtime_context().gcs_address, "startSeconds": round(time.perf_counter() - t0, 3)}), flush=True)
try:
    sys.stdin.read()
finally:
    stop_partial_ray()  # ray.shutdown(), then kills what it spawned (workers, and with them their kernels)
