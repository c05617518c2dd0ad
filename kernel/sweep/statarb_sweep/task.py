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
    """nbclient's kernel manager, whose kernel is killed by the OS when the process that launched it dies;
    it keeps the clients it hands out, so whoever owns it can close them."""

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        # a batch run: the statarb kernel skips its warm-up (the completions' language service, ~2 CPU-s a
        # kernel, nobody completes in a sweep); what a cell needs still loads on first use
        kw["env"] = {"STATARB_KERNEL_WARMUP": "0", **(kw.get("env") or os.environ)}
        if hasattr(os, "fork"):
            kw.setdefault("preexec_fn", _die_with_parent)
        return await super()._async_launch_kernel(kernel_cmd, **kw)

    def client(self, **kw):
        kc = super().client(**kw)
        self.__dict__.setdefault("_handed_out", []).append(kc)
        return kc


# A kernel started at the end of a run for the next run of this Ray worker (same kernel, same folder):
# it boots while the driver records the finished run and sends the next one, so a run does not wait for
# its kernel's start. It is fresh (it never ran a cell); it dies with the worker (PR_SET_PDEATHSIG).
_SPARE: tuple | None = None


def _start_spare(kernel: str, cwd: str) -> None:
    global _SPARE
    from jupyter_core.utils import run_sync

    try:
        km = ParentBoundKernelManager(kernel_name=kernel)
        run_sync(km.start_kernel)(cwd=cwd)
        _SPARE = (km, kernel, cwd)
    except Exception:  # noqa: BLE001 (no spare: the next run starts its own kernel, as papermill does)
        _SPARE = None


def _take_spare(kernel: str, cwd: str):
    """The spare kernel's manager when it fits this run and is alive, else None (a misfit is shut down)."""
    global _SPARE
    from jupyter_core.utils import run_sync

    spare, _SPARE = _SPARE, None
    if spare is None:
        return None
    km = spare[0]
    if spare[1:] == (kernel, cwd) and run_sync(km.is_alive)():
        return km
    _close(km)
    return None


def _close(km) -> None:
    """Shuts down a kernel this module started, with the clients nbclient opened on it."""
    from jupyter_core.utils import run_sync

    for kc in km.__dict__.pop("_handed_out", []):
        try:
            kc.stop_channels()
        except Exception:  # noqa: BLE001
            pass
    try:
        if run_sync(km.is_alive)():
            run_sync(km.shutdown_kernel)(now=True)
        run_sync(km.cleanup_resources)()
    except Exception:  # noqa: BLE001 (already gone)
        pass


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
    km = _take_spare(kernel, run_cwd)
    try:
        papermill.execute_notebook(
            src, dst, parameters=params, kernel_name=kernel, cwd=run_cwd, progress_bar=False, log_output=False,
            request_save_on_cell_execute=False, execution_timeout=timeout, kernel_manager_class=ParentBoundKernelManager,
            **({"km": km} if km is not None else {}),
        )
    except Exception as e:  # noqa: BLE001 (a failing run is a result, not a crash of the sweep)
        error = _describe(e)
        detail = traceback.format_exc(limit=4)
    seconds = time.perf_counter() - t0
    if km is not None:
        _close(km)  # nbclient leaves a kernel it did not start running
    _start_spare(kernel, run_cwd)
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
