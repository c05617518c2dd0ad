"""Prints every run of an MLflow experiment as JSON: status, params, metrics (with their steps), tags and
artifact paths (what the sweep tests check against sweep.json). argv: tracking URI, experiment name."""
import json
import sys

from mlflow.tracking import MlflowClient

uri, name = sys.argv[1], sys.argv[2]
client = MlflowClient(uri)
exp = client.get_experiment_by_name(name)
out = []
for r in client.search_runs([exp.experiment_id], max_results=1000):
    rid = r.info.run_id
    out.append({
        "runId": rid, "status": r.info.status, "params": r.data.params, "metrics": r.data.metrics, "tags": r.data.tags,
        "steps": {k: [m.value for m in client.get_metric_history(rid, k)] for k in r.data.metrics},
        "artifacts": sorted(a.path for a in client.list_artifacts(rid)),
    })
json.dump(out, sys.stdout)
