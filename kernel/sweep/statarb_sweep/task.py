"""One run of a sweep: the notebook executed by papermill on the statarb kernel with one parameter set, as
the body of a Ray task. Returns the executed notebook (up to the failing cell when a cell raised), its
HTML export and the values the notebook recorded; tracking happens in the driver, so the task needs no
access to the MLflow store and runs the same on a cluster node.

The kernel is started with ``PR_SET_PDEATHSIG``: if the Ray worker running the task dies (killed, OOM,
``ray.cancel(force=True)`` on Ctrl-C), the kernel dies with it instead of lingering.
"""
from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import tempfile
import time
import traceback

import nbformat
from jupyter_client.manager import AsyncKernelManager

from .records import read_records

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # runs in the forked child, before exec
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except OSError:
        pass


class ParentBoundKernelManager(AsyncKernelManager):
    """nbclient's kernel manager, whose kernel is killed by the OS when the process that launched it dies."""

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        if hasattr(os, "fork"):
            kw.setdefault("preexec_fn", _die_with_parent)
        return await super()._async_launch_kernel(kernel_cmd, **kw)


def repo_root(default: str) -> str:
    """The statarb checkout on this node: $STATARB_ROOT, else the driver's (same machine)."""
    return os.environ.get("STATARB_ROOT") or default


_EXPORTER = None


def export_html(nb, root: str) -> str:
    """nbconvert's HTML of an executed notebook with the repo's offline template (as scripts/demo)."""
    global _EXPORTER
    if _EXPORTER is None:
        from nbconvert import HTMLExporter

        _EXPORTER = HTMLExporter(template_name="statarb-offline", extra_template_basedirs=[os.path.join(root, "notebooks", "nbconvert")])
    body, _ = _EXPORTER.from_notebook_node(nb)
    return body


def _describe(e: BaseException) -> str:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(e, PapermillExecutionError):
        return f"{e.ename}: {e.evalue} (cell {e.exec_count}, index {e.cell_index})"
    text = f"{type(e).__name__}: {e}"
    return text if len(text) < 2000 else text[:2000] + "…"


def run_notebook(notebook: str, name: str, params: dict, cwd: str, root: str, kernel: str = "statarb", timeout: float | None = None) -> dict:
    """Runs ``notebook`` (its JSON text) with ``params``; never raises for a failing notebook."""
    import papermill

    root = repo_root(root)
    work = tempfile.mkdtemp(prefix="statarb-sweep-")
    src, dst = os.path.join(work, "input.ipynb"), os.path.join(work, name)
    with open(src, "w", encoding="utf8") as f:
        f.write(notebook)
    run_cwd = cwd if os.path.isabs(cwd) else os.path.join(root, cwd)
    error, t0 = None, time.perf_counter()
    try:
        papermill.execute_notebook(
            src, dst, parameters=params, kernel_name=kernel, cwd=run_cwd, progress_bar=False, log_output=False,
            request_save_on_cell_execute=False, execution_timeout=timeout, kernel_manager_class=ParentBoundKernelManager,
        )
    except Exception as e:  # noqa: BLE001 (a failing run is a result, not a crash of the sweep)
        error = _describe(e)
        detail = traceback.format_exc(limit=4)
    seconds = time.perf_counter() - t0
    try:
        executed = nbformat.read(dst, as_version=4) if os.path.exists(dst) else None
        out = {
            "status": "FAILED" if error else "FINISHED",
            "error": error,
            "errorDetail": detail if error else None,
            "seconds": seconds,
            "records": read_records(executed) if executed is not None else {},
            "notebook": nbformat.writes(executed) if executed is not None else None,
            "html": None,
            "host": socket.gethostname(),
            "pid": os.getpid(),
        }
        if executed is not None:
            t1 = time.perf_counter()
            try:
                out["html"] = export_html(executed, root)
            except Exception as e:  # noqa: BLE001 (the run stands; only its export is missing)
                out["htmlError"] = _describe(e)
            out["htmlSeconds"] = time.perf_counter() - t1
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)
