"""MLflow tracking of sweep runs (driver side). Local by default: ``sqlite:///<cwd>/out/mlflow.db`` with
artifacts under ``<cwd>/out/mlartifacts``; ``--tracking-uri`` or ``MLFLOW_TRACKING_URI`` for a server.

Each run gets its parameters, the numeric values the notebook recorded as metrics (a name recorded
several times gets one step per value), the executed notebook and its HTML export as artifacts, and
tags: git commit, dataset checksums (datasets/.cache/*/meta.json), kernel and package versions, and
``statarb.run_key``, the hash of notebook content and parameters that lets a re-run skip finished sets.
"""
from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
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


def _template_path(mlflow) -> str | None:
    """Where the blank store of this MLflow's schema is kept: keyed by MLflow's version and its migration
    scripts' names, so another MLflow (or a patched one) never opens a store of another schema."""
    versions = os.path.join(os.path.dirname(mlflow.__file__), "store", "db_migrations", "versions")
    try:
        names = sorted(n for n in os.listdir(versions) if n.endswith(".py"))
    except OSError:
        return None
    key = hashlib.sha256("\n".join([mlflow.__version__, *names]).encode()).hexdigest()[:16]
    cache = os.environ.get("STATARB_CACHE_DIR") or os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "statarb")
    return os.path.join(cache, f"mlflow-{mlflow.__version__}-{key}.db")


def _make_template(mlflow, path: str) -> None:
    """A blank SQLite store made by MLflow itself (its table creation and every migration, ~2 CPU-s and
    one fsync per migration), less the Default experiment MLflow adds on first open: each store copied
    from it gets its own Default experiment (its artifact location, its time) when MLflow opens it."""
    from mlflow.tracking import MlflowClient

    os.makedirs(os.path.dirname(path), exist_ok=True)
    folder = tempfile.mkdtemp(prefix="mlflow-template-", dir=os.path.dirname(path))
    try:
        db = os.path.join(folder, "store.db")
        MlflowClient(f"sqlite:///{db}").get_experiment_by_name("Default")
        with contextlib.closing(sqlite3.connect(db)) as con:
            con.execute("DELETE FROM experiments")
            con.commit()
        os.replace(db, path)  # atomic: a concurrent sweep sees no template or a whole one
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def new_sqlite_store(uri: str, mlflow) -> str | None:
    """Makes a SQLite store that does not exist yet as a copy of a blank one of the same schema (made once
    per MLflow version, see ``_template_path``), instead of running MLflow's ~60 schema migrations in every
    new store: that cost ~2 CPU-s and, on a busy machine, 10–17 s of a sweep's start. MLflow then opens it
    as any store (checks its schema revision, adds the Default experiment). Returns the template used, or
    None when the store exists, is not SQLite, or no template could be had (MLflow then creates it)."""
    if not uri.startswith("sqlite:///"):
        return None
    db = uri[len("sqlite:///"):]
    if os.path.exists(db):
        return None
    template = _template_path(mlflow)
    if template is None:
        return None
    try:
        if not os.path.exists(template):
            _make_template(mlflow, template)
        os.makedirs(os.path.dirname(db) or ".", exist_ok=True)
        tmp = f"{db}.tmp-{os.getpid()}"
        shutil.copyfile(template, tmp)
        os.replace(tmp, db)
    except (OSError, sqlite3.Error):
        return None
    return template


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
        template = new_sqlite_store(tracking_uri, mlflow)
        mlflow.set_tracking_uri(tracking_uri)
        try:
            self.client = MlflowClient(tracking_uri)
            exp = self.client.get_experiment_by_name(experiment)
        except Exception:
            if template is not None:  # a damaged template: the next sweep makes a new one
                with contextlib.suppress(OSError):
                    os.unlink(template)
            raise
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
