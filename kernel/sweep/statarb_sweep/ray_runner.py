"""Ray side of a sweep: an embedded local Ray that starts and stops with the sweep (``address="local"``,
``num_cpus = workers``), or a running cluster (``--address`` / ``RAY_ADDRESS``, ``ray://…`` through Ray
Client). Each parameter set is one task (``num_cpus=1``); at most ``workers`` are in flight, so the
progress bar's "running" is what runs. Ray reports a task whose worker process or node died with one of
its system errors; the driver submits that task again, up to ``retries`` times.
"""
from __future__ import annotations

import contextlib
import logging
import os
import time

_DIED = ("WorkerCrashedError", "NodeDiedError", "LocalRayletDiedError", "ObjectLostError", "OwnerDiedError", "ObjectReconstructionFailedError", "RaySystemError")


def stop_partial_ray() -> None:
    """After a start that was interrupted or failed: shut down what Ray knows, kill what it spawned."""
    import ray

    ray.shutdown()
    _kill_children()


def _kill_children() -> None:
    import psutil

    kids = psutil.Process().children(recursive=True)
    for p in kids:
        try:
            p.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(kids, timeout=10)


@contextlib.contextmanager
def _priority_while_starting(boost: int = 10):
    """Ray's raylet gives its Python agents a fixed 15 s to come up, and its Python side waits a fixed 30 s
    for the raylet; on a machine busy with other sessions the agents miss that (each imports Ray first,
    and Linux shares the CPU between sessions, so all of Ray's processes share one session's slice).
    Where allowed (root), the driver raises its session's scheduling weight (/proc/self/autogroup) while
    the embedded Ray starts, and restores it once Ray is up; the kernels of the runs start in sessions
    of their own and are not affected."""
    path = "/proc/self/autogroup"
    try:
        with open(path, encoding="utf8") as f:
            before = int(f.read().split("nice")[-1])
        with open(path, "w", encoding="utf8") as f:
            f.write(str(before - boost))
    except (OSError, ValueError):
        yield
        return
    try:
        yield
    finally:
        with contextlib.suppress(OSError), open(path, "w", encoding="utf8") as f:
            f.write(str(before))


def lean_python_start() -> None:
    """Puts statarb_sweep/_site first on PYTHONPATH, for the processes the embedded Ray starts (they inherit
    this environment): its sitecustomize spares each of them jsonschema's ~1.7 CPU-s import of the
    optional rfc3987_syntax (see that file)."""
    site = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_site")
    path = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != site]
    os.environ["PYTHONPATH"] = os.pathsep.join([site, *path])


def start_local_ray(ray, events, attempts: int = 3, **init) -> None:
    """``ray.init(address="local")``, tried again when the node does not come up in time: Ray waits a fixed
    30 s for its raylet, which a machine already running many processes can miss (every Ray agent
    imports Ray first); a second try finds the imports in the page cache."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    lean_python_start()
    for attempt in range(1, attempts + 1):
        try:
            with _priority_while_starting():
                ray.init(address="local", **init)
            return
        except Exception as e:  # noqa: BLE001 (Ray raises a bare Exception for this)
            if "timed out during startup" not in str(e) or attempt == attempts:
                raise
            events("ray-retry", attempt=attempt, error=str(e).splitlines()[0])
            ray.shutdown()
            _kill_children()  # what the failed start left: its GCS, dashboard, monitor, raylet


class RayRunner:
    def __init__(self, sweep, events):
        import ray

        self.ray, self.sweep, self.events = ray, sweep, events
        spec = sweep.spec
        address = spec.get("address") or os.environ.get("RAY_ADDRESS") or None
        self.embedded = address is None
        t0 = time.perf_counter()
        common = dict(include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING, configure_logging=True)
        if self.embedded:
            start_local_ray(ray, events, num_cpus=spec["workers"], object_store_memory=spec.get("objectStoreBytes", 256 << 20), **common)
            self.slots = spec["workers"]
        else:
            ray.init(address=address, **{k: v for k, v in common.items() if k != "include_dashboard"})
            cpus = int(ray.cluster_resources().get("CPU", 1))
            self.slots = min(spec["workers"], cpus) if spec.get("workersGiven") else cpus
        sweep.ray_info = {"embedded": self.embedded, "address": address or "local", "gcsAddress": ray.get_runtime_context().gcs_address, "slots": self.slots, "startSeconds": round(time.perf_counter() - t0, 3)}
        events("ray", **sweep.ray_info)
        from .task import run_notebook

        self.remote = ray.remote(num_cpus=1, max_retries=0)(run_notebook)
        self.died = tuple(getattr(ray.exceptions, n) for n in _DIED if hasattr(ray.exceptions, n))
        with open(sweep.nb_path, encoding="utf8") as f:
            self.nb_text = f.read()
        self.inflight: dict = {}

    def submit(self, r: dict) -> None:
        spec = self.sweep.spec
        r["attempts"] += 1
        r["status"] = "RUNNING"
        ref = self.remote.remote(self.nb_text, self.sweep.nb_name, r["params"], spec["cwd"], self.sweep.root, spec.get("kernel", "statarb"), spec.get("timeout"))
        self.inflight[ref] = (r, int(time.time() * 1000))
        self.events("started", index=r["index"], key=r["key"], attempt=r["attempts"], params=r["params"])

    def submit_first(self, todo: list[dict]) -> None:
        """Submits the first ``slots`` of ``todo`` (``run`` then goes on with the rest and these in flight)."""
        for r in todo[: self.slots]:
            self.submit(r)

    def run(self, todo: list[dict]) -> None:
        queue = list(todo)
        while queue or self.inflight:
            while queue and len(self.inflight) < self.slots:
                self.submit(queue.pop(0))
            ready, _ = self.ray.wait(list(self.inflight), num_returns=1, timeout=1.0)
            done = []
            for ref in ready:
                r, started_ms = self.inflight.pop(ref)
                result = self.collect(ref, r)
                if result is None:
                    queue.insert(0, r)
                else:
                    done.append((r, result, started_ms))
            while queue and len(self.inflight) < self.slots:  # the freed slot works while the driver records
                self.submit(queue.pop(0))
            for r, result, started_ms in done:
                self.sweep.record(r, result, started_ms)
                self.sweep.write()
                self.events("run", index=r["index"], key=r["key"], status=r["status"], seconds=r.get("seconds"), metrics=r.get("metrics"),
                            error=r.get("error"), runId=r.get("runId"), attempts=r["attempts"], notebook=r.get("notebook"))

    def collect(self, ref, r: dict):
        """The task's result; None when its worker died and a retry is due."""
        try:
            return self.ray.get(ref)
        except self.died as e:
            why = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
            if r["attempts"] <= self.sweep.spec["retries"]:
                self.events("retry", index=r["index"], key=r["key"], attempt=r["attempts"], error=why)
                return None
            return {"status": "FAILED", "error": f"the Ray worker died {r['attempts']} time(s); last: {why}", "records": {}, "seconds": 0.0}
        except Exception as e:  # noqa: BLE001 (anything else the task raised is that run's failure)
            return {"status": "FAILED", "error": f"{type(e).__name__}: {e}"[:4000], "records": {}, "seconds": 0.0}

    def close(self) -> None:
        """Cancels what is still in flight (killing those workers, and with them their kernels) and stops
        the embedded Ray; disconnects from a cluster."""
        for ref in list(self.inflight):
            try:
                self.ray.cancel(ref, force=True)
            except Exception:  # noqa: BLE001 (already finished or gone)
                pass
        self.inflight.clear()
        self.ray.shutdown()
        if self.embedded:
            reap(self.sweep.sweep_id)


def reap(sweep_id: str) -> None:
    """Kills what of the sweep outlived Ray's stop on this machine (found by the STATARB_SWEEP_ID they inherit):
    a process a kernel started, which the OS does not kill with the kernel (PR_SET_PDEATHSIG binds one parent)."""
    import signal

    mark = f"STATARB_SWEEP_ID={sweep_id}".encode()
    killed = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                if mark in f.read().split(b"\0"):
                    os.kill(int(pid), signal.SIGKILL)
                    killed.append(pid)
        except OSError:
            continue
    # the driver may end with os._exit (__main__.py), without the interpreter's teardown that used to give these
    # processes time to go: wait (at most 3 s) until they are gone
    deadline = time.monotonic() + 3.0
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{pid}") for pid in killed):
        time.sleep(0.02)

