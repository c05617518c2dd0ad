"""Library fan-out on Ray: a list of calls of one exported TypeScript function (walk-forward evaluations,
Monte Carlo paths), cut into contiguous chunks, each chunk one Ray task that runs
``node dist/kernel/sweep/fanout-worker.js`` on it. The results come back in call order, as the exact JSON
the worker wrote (kernel/sweep/codec.ts), so the caller decodes bit-identical values.

``python -m statarb_sweep.fanout`` reads ``{module, export, calls, workers, address, root}`` on stdin and
prints the JSON array of results. Embedded local Ray unless ``address`` / ``RAY_ADDRESS``.
"""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys


def run_chunk(root: str, module: str, export: str, calls: list) -> list:
    """One Ray task: a Node process evaluating ``calls`` in turn."""
    root = os.environ.get("STATARB_ROOT") or root
    worker = os.path.join(root, "dist", "kernel", "sweep", "fanout-worker.js")
    cmd = ["node"] + (["--import", "tsx"] if module.endswith((".ts", ".mts")) else []) + [worker]
    p = subprocess.run(cmd, input=json.dumps({"module": module, "export": export, "calls": calls}), capture_output=True, text=True, cwd=root)
    if p.returncode != 0:
        raise RuntimeError(f"{export} in {module} failed: {p.stderr.strip()[-2000:]}")
    return json.loads(p.stdout)


def chunks(calls: list, n: int) -> list[list]:
    n = max(1, min(n, len(calls)))
    size, extra = divmod(len(calls), n)
    out, i = [], 0
    for k in range(n):
        j = i + size + (1 if k < extra else 0)
        out.append(calls[i:j])
        i = j
    return out


def main() -> int:
    import ray

    from .ray_runner import start_local_ray

    req = json.load(sys.stdin)
    address = req.get("address") or os.environ.get("RAY_ADDRESS") or None
    common = dict(log_to_driver=False, logging_level=logging.WARNING)
    if address is None:
        start_local_ray(ray, lambda *a, **k: None, num_cpus=req["workers"], include_dashboard=False, object_store_memory=256 << 20, **common)
    else:
        ray.init(address=address, **common)
    try:
        task = ray.remote(num_cpus=1, max_retries=int(req.get("retries", 1)))(run_chunk)
        parts = chunks(req["calls"], int(req.get("chunks") or 2 * req["workers"]))
        refs = [task.remote(req["root"], req["module"], req["export"], part) for part in parts]
        results = [r for part in ray.get(refs) for r in part]
    finally:
        ray.shutdown()
    json.dump(results, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
