"""MLflow tracking of sweep runs (driver side). Local by default: ``sqlite:///<cwd>/out/mlflow.db`` with
artifacts under ``<cwd>/out/mlartifacts``; ``--tracking-uri`` or ``MLFLOW_TRACKING_URI`` for a server.

Each run gets its parameters, the numeric values the notebook recorded as metrics (a name recorded
several times gets one step per value), the executed notebook and its HTML export as artifacts, and
tags: git commit, dataset checksums (datasets/.cache/*/meta.json), kernel and package versions, and
``statarb.run_key``, the hash of notebook content and parameters that lets a re-run skip finished sets.
"""
from __future__ import annotations

import glob
import json
import os
import subprocess
import time

RUN_KEY = "statarb.run_key"
SWEEP_ID = "statarb.sweep_id"


def default_tracking_uri(cwd: str) -> str:
    return "sqlite:///" + os.path.join(os.path.abspath(cwd), "out", "mlflow.db")


def sqlite_artifact_root(uri: str) -> str | None:
    """Artifacts of a SQLite store live beside it (``<db folder>/mlartifacts``), never in ./mlruns of
    whatever folder the command ran in; creates the db's folder. None for other stores (the server decides)."""
    if not uri.startswith("sqlite:///"):
        return None
    folder = os.path.dirname(uri[len("sqlite:///"):]) or "."
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, "mlartifacts")


def param_text(v) -> str:
    return v if isinstance(v, str) else json.dumps(v)


def environment_tags(root: str, notebook_path: str) -> dict[str, str]:
    """Tags shared by every run of a sweep: where the code and data came from."""
    tags = {"statarb.notebook": notebook_path}
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True, text=True, timeout=10).stdout.strip()
        if commit:
            tags["mlflow.source.git.commit"] = commit
            tags["statarb.git_dirty"] = "true" if dirty else "false"
    except (OSError, subprocess.SubprocessError):
        pass
    for meta in sorted(glob.glob(os.path.join(root, "datasets", ".cache", "*", "meta.json"))):
        try:
            with open(meta, encoding="utf8") as f:
                m = json.load(f)
            tags[f"statarb.dataset.{m.get('name') or os.path.basename(os.path.dirname(meta))}.sha256"] = str(m.get("sha256", ""))
        except (OSError, ValueError):
            continue
    try:
        with open(os.path.join(root, "package.json"), encoding="utf8") as f:
            tags["statarb.version"] = json.load(f).get("version", "")
    except (OSError, ValueError):
        pass
    return tags


def kernel_tags(nb_text: str | None) -> dict[str, str]:
    """The kernel that ran the notebook, from the executed notebook's metadata."""
    if not nb_text:
        return {}
    meta = json.loads(nb_text).get("metadata", {})
    spec, info = meta.get("kernelspec", {}), meta.get("language_info", {})
    tags = {"statarb.kernel": str(spec.get("name", ""))}
    if info.get("version"):
        tags["statarb.kernel.language_version"] = str(info["version"])
    pm = meta.get("papermill", {})
    if pm.get("version"):
        tags["statarb.papermill_version"] = str(pm["version"])
    return tags


class Tracker:
    """One MLflow experiment; every method is called from the driver's thread only."""

    def __init__(self, tracking_uri: str, experiment: str, artifact_root: str | None):
        import mlflow
        from mlflow.tracking import MlflowClient

        self.uri = tracking_uri
        mlflow.set_tracking_uri(tracking_uri)
        self.client = MlflowClient(tracking_uri)
        exp = self.client.get_experiment_by_name(experiment)
        if exp is None:
            location = None if artifact_root is None else "file://" + os.path.abspath(artifact_root)
            self.experiment_id = self.client.create_experiment(experiment, artifact_location=location)
        else:
            self.experiment_id = exp.experiment_id

    def finished_runs(self) -> dict[str, object]:
        """run key → the latest FINISHED run carrying it (what a re-run skips)."""
        out: dict[str, object] = {}
        token = None
        while True:
            page = self.client.search_runs([self.experiment_id], filter_string="attributes.status = 'FINISHED'", max_results=1000, page_token=token, order_by=["attributes.start_time ASC"])
            for r in page:
                key = r.data.tags.get(RUN_KEY)
                if key:
                    out[key] = r
            token = page.token
            if not token:
                return out

    def log_run(self, *, key: str, sweep_id: str, params: dict, result: dict, tags: dict, files: dict[str, str], started_ms: int) -> str:
        """Creates one MLflow run holding everything about a finished or failed run; returns its id."""
        from mlflow.entities import Metric, Param, RunTag

        status = result["status"]
        all_tags = {**tags, **kernel_tags(result.get("notebook")), RUN_KEY: key, SWEEP_ID: sweep_id, "statarb.attempts": str(result.get("attempts", 1))}
        if result.get("error"):
            all_tags["statarb.error"] = result["error"][:4900]
        name = ", ".join(f"{k}={param_text(v)}" for k, v in params.items())[:240] or key
        run = self.client.create_run(self.experiment_id, start_time=started_ms, tags=all_tags, run_name=name)
        rid = run.info.run_id
        now = int(time.time() * 1000)
        metrics = []
        for n, values in result.get("records", {}).items():
            for step, v in enumerate(values):
                if isinstance(v, (int, float)):
                    metrics.append(Metric(n, float(v), now, step))
        self.client.log_batch(rid, metrics=metrics[:1000], params=[Param(k, param_text(v)[:6000]) for k, v in params.items()], tags=[RunTag("statarb.seconds", f"{result.get('seconds', 0):.3f}")])
        for path in files.values():
            self.client.log_artifact(rid, path)
        self.client.set_terminated(rid, status=status, end_time=now)
        return rid
