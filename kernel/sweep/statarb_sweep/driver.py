"""The sweep driver: checks the grid, skips parameter sets MLflow already holds as FINISHED, runs the others
as Ray tasks (at most ``workers`` at a time), tracks each one in MLflow as it completes, and keeps
``DIR/sweep.json`` current. Ray does the scheduling and detects dead workers; the driver resubmits a
task whose worker died (``WorkerCrashedError`` and kin) up to ``retries`` times.

Progress goes out as JSON lines (one event per line) to the ``events`` stream; the TypeScript side
(kernel/sweep/) turns them into a terminal bar or an updating notebook display.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import signal
import time
import uuid

import nbformat

from . import grid as G
from .records import json_safe, split_records
from .tracking import Tracker, default_tracking_uri, environment_tags, sqlite_artifact_root


class Events:
    def __init__(self, stream):
        self.stream = stream

    def __call__(self, event: str, **fields) -> None:
        if self.stream is not None:
            self.stream.write(json.dumps(json_safe({"event": event, **fields})) + "\n")
            self.stream.flush()


def plan(spec: dict) -> tuple[bytes, list[dict], list[str]]:
    """Reads the notebook and expands the grid: (notebook bytes, parameter sets, their run keys)."""
    path = spec["notebook"]
    try:
        with open(path, "rb") as f:
            raw = f.read()
        nb = nbformat.reads(raw.decode("utf8"), as_version=4)
    except (OSError, ValueError) as e:
        raise G.GridError(f"cannot read the notebook {path}: {e}") from None
    declared = G.declared_parameters(nb)
    if spec.get("grid"):
        if spec.get("params"):
            raise G.GridError("give the grid with -p or with --grid, not both")
        sets = G.load_grid_file(spec["grid"], declared)
    elif spec.get("params"):
        sets = G.product_of(G.parse_p_options(spec["params"], declared), declared)
    elif spec.get("gridObject"):  # sweep({ params: { name: [values…] } }) from a notebook or a script
        sets = G.product_of(spec["gridObject"], declared, "params")
    elif spec.get("gridSets"):  # sweep({ grid: [{…}, …] })
        sets = G.explicit_sets(spec["gridSets"], declared, "grid")
    else:
        raise G.GridError("no parameters to sweep: give -p NAME=V1,V2,… or --grid FILE")
    keys, unique_sets, unique_keys = set(), [], []
    for s in sets:
        k = G.run_key(raw, s)
        if k not in keys:
            keys.add(k)
            unique_sets.append(s)
            unique_keys.append(k)
    return raw, unique_sets, unique_keys


class Sweep:
    """One invocation: the state behind sweep.json."""

    def __init__(self, spec: dict, events: Events):
        self.spec, self.events = spec, events
        self.out = os.path.abspath(spec["out"])
        self.root = spec["root"]
        self.nb_path = os.path.abspath(spec["notebook"])
        self.nb_name = os.path.basename(self.nb_path)
        self.sweep_id = uuid.uuid4().hex[:12]
        self.started = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        self.raw, sets, keys = plan(spec)
        self.runs = [{"index": i, "key": k, "params": s, "status": "PENDING", "attempts": 0} for i, (s, k) in enumerate(zip(sets, keys))]
        self.ray_info: dict = {}

    # -- sweep.json --------------------------------------------------------------------------
    def write(self, final: bool = False) -> str:
        counts = {}
        for r in self.runs:
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        doc = {
            "notebook": self.nb_path, "sweepId": self.sweep_id, "experiment": self.spec["experiment"],
            "experimentId": getattr(self, "tracker", None) and self.tracker.experiment_id, "trackingUri": self.spec["trackingUri"],
            "startedAt": self.started, "finishedAt": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds") if final else None,
            "workers": self.spec["workers"], "retries": self.spec["retries"], "ray": self.ray_info,
            "parameters": list(self.runs[0]["params"]) if self.runs else [], "summary": counts, "runs": self.runs,
        }
        os.makedirs(self.out, exist_ok=True)
        path = os.path.join(self.out, "sweep.json")
        tmp = f"{path}.tmp-{os.getpid()}"
        with open(tmp, "w", encoding="utf8") as f:
            json.dump(json_safe(doc), f, indent=1, allow_nan=False)
        os.replace(tmp, path)
        return path

    # -- tracking ----------------------------------------------------------------------------
    def open_tracking(self) -> None:
        uri = self.spec["trackingUri"]
        self.tracker = Tracker(uri, self.spec["experiment"], sqlite_artifact_root(uri))
        self.tags = environment_tags(self.root, os.path.relpath(self.nb_path, self.root))

    def skip_finished(self) -> None:
        done = self.tracker.finished_runs()
        for r in self.runs:
            prev = done.get(r["key"])
            if prev is None:
                continue
            metrics = dict(prev.data.metrics)
            nb = self.run_files(r)["notebook"]
            r.update(status="SKIPPED", runId=prev.info.run_id, metrics=metrics, notebook=nb if os.path.exists(nb) else None)

    def run_files(self, r: dict) -> dict[str, str]:
        d = os.path.join(self.out, "runs", r["key"])
        stem = os.path.splitext(self.nb_name)[0]
        return {"dir": d, "notebook": os.path.join(d, self.nb_name), "html": os.path.join(d, stem + ".html"), "error": os.path.join(d, "error.txt")}

    def record(self, r: dict, result: dict, started_ms: int) -> None:
        """Writes the run's files, logs it to MLflow, updates its sweep.json entry."""
        t0 = time.perf_counter()
        files = self.run_files(r)
        os.makedirs(files["dir"], exist_ok=True)
        logged = {}
        for kind in ("notebook", "html"):
            if result.get(kind):
                with open(files[kind], "w", encoding="utf8") as f:
                    f.write(result[kind])
                logged[kind] = files[kind]
        if result.get("error"):
            with open(files["error"], "w", encoding="utf8") as f:
                f.write(result["error"] + "\n\n" + (result.get("errorDetail") or ""))
            logged["error"] = files["error"]
        metrics, values = split_records(result.get("records", {}))
        result["attempts"] = r["attempts"]
        run_id = self.tracker.log_run(key=r["key"], sweep_id=self.sweep_id, params=r["params"], result=result, tags=self.tags, files=logged, started_ms=started_ms)
        r.update(status=result["status"], runId=run_id, metrics=metrics, values=values, error=result.get("error"), seconds=round(result.get("seconds", 0.0), 3),
                 notebook=logged.get("notebook"), html=logged.get("html"), host=result.get("host"), worker=result.get("pid"),
                 timings={"html": round(result.get("htmlSeconds", 0.0), 3), "tracking": round(time.perf_counter() - t0, 3)})


def _stop_on_sigterm() -> None:
    def raise_interrupt(signum, frame):
        raise KeyboardInterrupt()

    signal.signal(signal.SIGTERM, raise_interrupt)


def _fresh_store(uri: str) -> bool:
    """True for a SQLite store that does not exist yet: it holds no finished run, so the sweep needs Ray
    whatever it finds there, and Ray can start while the store is made."""
    return uri.startswith("sqlite:///") and not os.path.exists(uri[len("sqlite:///"):])


class _Background:
    """Runs ``fn`` on a thread; ``join()`` waits and raises what it raised."""

    def __init__(self, fn):
        import threading

        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(fn,), name="statarb-sweep-tracking", daemon=True)
        self.thread.start()

    def _run(self, fn) -> None:
        try:
            fn()
        except BaseException as e:  # noqa: BLE001 (re-raised in the main thread)
            self.error = e

    def join(self) -> None:
        self.thread.join()
        if self.error is not None:
            raise self.error


class _HeldEvents:
    """Events of a Ray start that ran before the plan was known: held until it is said, so the progress
    display sees plan → ray as when they ran one after the other."""

    def __init__(self, events: Events):
        self.events, self.held = events, []

    def __call__(self, event: str, **fields) -> None:
        if self.held is None:
            self.events(event, **fields)
        else:
            self.held.append((event, fields))

    def release(self) -> None:
        held, self.held = self.held or [], None
        for event, fields in held:
            self.events(event, **fields)


def run(spec: dict, events: Events) -> int:
    """The whole sweep; returns the process exit code (0 all finished or skipped, 1 some failed, 130 cancelled)."""
    from .ray_runner import RayRunner, stop_partial_ray

    spec.setdefault("trackingUri", None)
    if not spec["trackingUri"]:
        spec["trackingUri"] = os.environ.get("MLFLOW_TRACKING_URI") or default_tracking_uri(spec.get("invokedFrom") or os.getcwd())
    sweep = Sweep(spec, events)  # refuses a bad grid before anything starts
    if spec.get("validateOnly"):
        events("plan", total=len(sweep.runs), toRun=len(sweep.runs), skipped=0, parameters=[r["params"] for r in sweep.runs])
        return 0
    events("accepted", total=len(sweep.runs))  # the grid is valid: the command may prepare its report (kernel/sweep/run.ts)
    _stop_on_sigterm()
    early = _fresh_store(spec["trackingUri"])
    if early:
        import ray  # noqa: F401 (before the thread starts: the two threads then import disjoint modules)

        from . import task  # noqa: F401
    tracking = _Background(lambda: (sweep.open_tracking(), sweep.skip_finished())) if early else None
    if tracking is None:
        sweep.open_tracking()
        sweep.skip_finished()
    held = _HeldEvents(events)
    cancelled, runner = False, None
    try:
        os.environ["STATARB_SWEEP_ID"] = sweep.sweep_id  # inherited by the embedded Ray's processes and the kernels: findable, e.g. by the tests
        if tracking is not None:
            runner = RayRunner(sweep, held)  # Ray starts while MLflow is imported and the new store made, on a thread
            # a new store holds no finished run, so every set runs: the first tasks go out now, while the
            # thread may still be making the store (their events are held until the plan, as Ray's)
            runner.submit_first([r for r in sweep.runs if r["status"] == "PENDING"])
            tracking.join()
        to_run = [r for r in sweep.runs if r["status"] in ("PENDING", "RUNNING")]
        events("plan", total=len(sweep.runs), toRun=len(to_run), skipped=len(sweep.runs) - len(to_run), out=sweep.out, trackingUri=spec["trackingUri"],
               experimentId=sweep.tracker.experiment_id, sweepId=sweep.sweep_id, workers=spec["workers"])
        held.release()
        sweep.write()
        todo = [r for r in sweep.runs if r["status"] == "PENDING"]
        if todo or (runner is not None and runner.inflight):
            runner = runner or RayRunner(sweep, events)
            runner.run(todo)
    except KeyboardInterrupt:
        cancelled = True
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
    finally:
        if runner is not None:
            runner.close()
        elif early or any(r["status"] == "PENDING" for r in sweep.runs):
            stop_partial_ray()
    if cancelled:
        for r in sweep.runs:
            if r["status"] in ("PENDING", "RUNNING"):
                r["status"] = "CANCELLED"
    path = sweep.write(final=True)
    counts = {s: sum(r["status"] == s for r in sweep.runs) for s in ("FINISHED", "FAILED", "SKIPPED", "CANCELLED")}
    events("done", summary=counts, sweepJson=path, cancelled=cancelled)
    return 130 if cancelled else (1 if counts["FAILED"] else 0)
