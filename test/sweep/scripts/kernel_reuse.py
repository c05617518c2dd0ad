"""The sweep task's kernel reuse, as one Ray worker sees it (test/sweep/reuse.test.ts): runs
test/sweep/notebooks/reuse.ipynb through ``statarb_sweep.task.run_notebook`` several times in this one
process — the kernel is kept and reset between runs — and once on a fresh kernel by papermill, and prints
what the test checks as JSON. Usage: kernel_reuse.py REPO_ROOT WORK_DIR
"""
import json
import os
import signal
import sys
import time

import nbformat
import papermill

from statarb_sweep import task

root, work = sys.argv[1], sys.argv[2]
cwd = "test/sweep/notebooks"
nb_path = os.path.join(root, cwd, "reuse.ipynb")
with open(nb_path, encoding="utf8") as f:
    nb_text = f.read()
pids = os.path.join(work, "engine-pids.txt")


def kept_kernel_pid():
    km = task._KEPT[0] if task._KEPT else None
    return km.provisioner.pid if km is not None and km.provisioner is not None else None


def run(**params):
    before = kept_kernel_pid()
    r = task.run_notebook(nb_text, "reuse.ipynb", {**params, "pids": pids}, cwd, root)
    return {"status": r["status"], "error": r["error"], "records": r["records"], "notebook": r["notebook"], "kernelBefore": before, "kernelAfter": kept_kernel_pid()}


def comparable(nb_json):
    """The executed notebook without what differs between any two runs: timings, paths, papermill's clock."""
    nb = nbformat.reads(nb_json, as_version=4)
    pm = nb.metadata.get("papermill", {})
    for k in ("start_time", "end_time", "duration", "input_path", "output_path", "environment_variables", "version"):
        pm.pop(k, None)
    for c in nb.cells:
        if "injected-parameters" in c.metadata.get("tags", []):
            c.id = "injected"  # papermill gives the cell it adds a random id in every run
        c.metadata.get("papermill", {}).clear()
        c.metadata.pop("execution", None)
    return nbformat.writes(nb)


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


out = {}
out["first"] = run(x=1)
out["second"] = run(x=2)  # on the kernel of the first, reset
fresh_path = os.path.join(work, "fresh.ipynb")
papermill.execute_notebook(nb_path, fresh_path, parameters={"x": 2, "pids": pids}, kernel_name="statarb", cwd=os.path.join(root, cwd),
                           progress_bar=False, log_output=False, request_save_on_cell_execute=False, kernel_manager_class=task.ParentBoundKernelManager)
with open(fresh_path, encoding="utf8") as f:
    fresh = f.read()
out["sameAsFresh"] = comparable(out["second"]["notebook"]) == comparable(fresh)
if not out["sameAsFresh"]:
    out["secondComparable"], out["freshComparable"] = comparable(out["second"]["notebook"]), comparable(fresh)
out["freshCells"] = [[c.get("execution_count"), c.get("outputs")] for c in nbformat.reads(fresh, as_version=4).cells if c.cell_type == "code"]
out["failed"] = run(x=3, mode="fail")
out["crashed"] = run(x=4, mode="crash")
out["afterFaults"] = run(x=5)
killed = kept_kernel_pid()
os.kill(killed, signal.SIGKILL)  # the kept kernel dies between runs: the next run gets a new one
time.sleep(0.5)
out["afterKill"] = run(x=6)
out["killedKernel"] = killed
with open(pids, encoding="utf8") as f:
    engines = [int(p) for p in f.read().split()]
time.sleep(3)  # a reset's old engine shuts down in the background
out["engines"] = engines
out["enginesAlive"] = [p for p in engines if alive(p)]
for r in (v for v in out.values() if isinstance(v, dict)):
    r.pop("notebook", None)
km = task._KEPT[0] if task._KEPT else None
if km is not None:
    task._close(km)
print(json.dumps(out))
