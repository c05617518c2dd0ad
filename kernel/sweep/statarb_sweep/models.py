"""MLflow side of statarb's model registry (lib/signals/registry.ts): each saved version becomes an MLflow
run (its parameters, metrics, training window, the version's files as artifacts under ``model/``) and a
version of the registered model of the same name, tagged with the statarb version it mirrors.

``python -m statarb_sweep.models`` reads one JSON request on stdin and prints one JSON answer:

- ``{"action": "log", "trackingUri", "experiment", "record": ModelRecord}`` → ``{"runId", "name", "version"}``
- ``{"action": "versions", "trackingUri", "name"}`` → ``[{"version", "runId", "statarbVersion", "metrics"}]``
"""
from __future__ import annotations

import json
import os
import sys

from .tracking import default_tracking_uri, new_sqlite_store, param_text, sqlite_artifact_root


def _flat(prefix: str, v, out: dict) -> None:
    if isinstance(v, dict):
        for k, x in v.items():
            _flat(f"{prefix}.{k}" if prefix else str(k), x, out)
    else:
        out[prefix] = param_text(v)[:6000]


def _client(uri: str | None):
    import mlflow
    from mlflow.tracking import MlflowClient

    uri = uri or os.environ.get("MLFLOW_TRACKING_URI") or default_tracking_uri(os.getcwd())
    sqlite_artifact_root(uri)
    new_sqlite_store(uri, mlflow)
    mlflow.set_tracking_uri(uri)
    return MlflowClient(uri), uri


def log_version(req: dict) -> dict:
    from mlflow.entities import Metric, Param, RunTag
    from mlflow.exceptions import MlflowException

    client, uri = _client(req.get("trackingUri"))
    rec = req["record"]
    name = rec["name"]
    exp = client.get_experiment_by_name(req.get("experiment") or "statarb-models")
    if exp is None:
        root = sqlite_artifact_root(uri)
        location = None if root is None else "file://" + os.path.abspath(root)
        exp_id = client.create_experiment(req.get("experiment") or "statarb-models", artifact_location=location)
    else:
        exp_id = exp.experiment_id
    tags = {"statarb.model.name": name, "statarb.model.kind": rec["kind"], "statarb.model.version": str(rec["version"]),
            "statarb.model.train_start": rec["trainingWindow"]["start"], "statarb.model.train_end": rec["trainingWindow"]["end"],
            "statarb.model.path": rec["path"], "mlflow.note.content": rec.get("notes", "")}
    run = client.create_run(exp_id, tags=tags, run_name=f"{name} v{rec['version']}")
    rid = run.info.run_id
    params: dict = {}
    _flat("", rec.get("params") or {}, params)
    metrics = [Metric(k, float(v), 0, 0) for k, v in (rec.get("metrics") or {}).items()]
    client.log_batch(rid, metrics=metrics, params=[Param(k, v) for k, v in list(params.items())[:100]], tags=[RunTag("statarb.created_at", rec.get("createdAt", ""))])
    client.log_artifacts(rid, rec["path"], artifact_path="model")
    client.set_terminated(rid, "FINISHED")
    try:
        client.create_registered_model(name, description=f"statarb {rec['kind']} models (lib/signals ModelRegistry)")
    except MlflowException as e:
        if "RESOURCE_ALREADY_EXISTS" not in str(e.error_code):
            raise
    mv = client.create_model_version(name, f"{run.info.artifact_uri}/model", run_id=rid,
                                     tags={"statarb.version": str(rec["version"]), **{f"metric.{k}": str(v) for k, v in (rec.get("metrics") or {}).items()}})
    return {"runId": rid, "name": name, "version": int(mv.version), "trackingUri": uri}


def list_versions(req: dict) -> list:
    client, _ = _client(req.get("trackingUri"))
    out = []
    for mv in client.search_model_versions(f"name = '{req['name']}'"):
        run = client.get_run(mv.run_id) if mv.run_id else None
        out.append({"version": int(mv.version), "runId": mv.run_id, "statarbVersion": int(mv.tags.get("statarb.version", 0)),
                    "metrics": dict(run.data.metrics) if run else {}})
    return sorted(out, key=lambda v: v["version"])


def main() -> int:
    req = json.load(sys.stdin)
    action = req.get("action")
    if action == "log":
        out = log_version(req)
    elif action == "versions":
        out = list_versions(req)
    else:
        print(f"statarb_sweep.models: unknown action {action!r} (log, versions)", file=sys.stderr)
        return 2
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
