"""Library fan-out on Ray: a list of calls of one exported TypeScript function (walk-forward evaluations,
Monte Carlo paths), cut into contiguous chunks, each chunk one Ray task that runs
``node dist/kernel/sweep/fanout-worker.js`` on it. The results come back in call order, as the exact JSON
the worker wrote (kernel/sweep/codec.ts), so the caller decodes bit-identical values.

``python -m statarb_sweep.fanout --replies-fd N`` is a session: its first line on stdin is
``{workers, address, retries, root}`` (Ray starts then: embedded local Ray unless ``address`` /
``RAY_ADDRESS``), each further line a map ``{id, module, export, calls, chunks}``, answered by one line
on file descriptor N: ``{id, results}`` or ``{id, error}``. End of stdin stops Ray and the process (so a
session ends with the Node process that opened it, whatever way that one ends).
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import signal
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


def start(ray, config: dict) -> None:
    from .ray_runner import start_local_ray

    address = config.get("address") or os.environ.get("RAY_ADDRESS") or None
    common = dict(log_to_driver=False, logging_level=logging.WARNING)
    if address is None:
        start_local_ray(ray, lambda *a, **k: None, num_cpus=config["workers"], include_dashboard=False, object_store_memory=256 << 20, **common)
    else:
        ray.init(address=address, **common)


def serve(lines, reply, ray, config: dict) -> None:
    """Answers each map request of ``lines`` (an iterator of JSON lines) through ``reply``."""
    task = ray.remote(num_cpus=1, max_retries=int(config.get("retries", 1)))(run_chunk)
    for line in lines:
        if not line.strip():
            continue
        req = json.loads(line)
        try:
            parts = chunks(req["calls"], int(req.get("chunks") or 2 * config["workers"]))
            refs = [task.remote(config["root"], req["module"], req["export"], part) for part in parts]
            reply({"id": req["id"], "results": [r for part in ray.get(refs) for r in part]})
        except Exception as e:  # noqa: BLE001 (a failing map is that call's error; the session goes on)
            reply({"id": req["id"], "error": f"{type(e).__name__}: {str(e)[-3000:]}"})


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m statarb_sweep.fanout")
    ap.add_argument("--replies-fd", type=int, required=True)
    a = ap.parse_args(argv)
    out = os.fdopen(a.replies_fd, "w", buffering=1)

    def reply(obj: dict) -> None:
        out.write(json.dumps(obj) + "\n")
        out.flush()

    first = sys.stdin.readline()
    if not first.strip():
        return 0
    config = json.loads(first)
    import ray

    from .__main__ import _die_with_parent
    from .ray_runner import stop_partial_ray

    _die_with_parent()  # SIGTERM (→ KeyboardInterrupt) should the Node process die mid-map
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        try:
            start(ray, config)
        except BaseException:
            stop_partial_ray()
            raise
        reply({"id": 0, "ready": True})
        serve(sys.stdin, reply, ray, config)
    except KeyboardInterrupt:
        return 130
    finally:
        ray.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
