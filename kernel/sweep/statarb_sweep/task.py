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
from queue import Empty

import nbformat
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from traitlets import DottedObjectName, Type

from .records import read_records

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # runs in the forked child, before exec
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except OSError:
        pass


class ReadyKernelClient(AsyncKernelClient):
    """nbclient's kernel client, ready once the kernel answers kernel_info and iopub delivers a message.

    jupyter_client's ``wait_for_ready`` checks both, then reads iopub until 0.2 s pass without a message
    (to drop the status messages of its kernel_info): a fixed 0.2 s of idling in every run of a sweep, a
    third of a small notebook's run (bench/results/sweep.notes.md, 2026-12-05 sweep2). Here what iopub
    already holds is dropped without waiting for silence. Nothing is lost by not waiting: nbclient reads
    from iopub only the messages whose parent is the request it waits for, so a later status message of
    this kernel_info is skipped as the flush would have dropped it."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:  # jupyter_client's loop (client.py, _async_wait_for_ready)
            self.kernel_info()
            try:
                msg = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                pass
            else:
                if msg["msg_type"] == "kernel_info_reply":
                    try:  # iopub is connected once a message comes through it
                        await self.iopub_channel.get_msg(timeout=0.2)
                    except Empty:
                        pass
                    else:
                        self._handle_kernel_info_reply(msg)
                        break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")
        while True:  # what is already there, without waiting for 0.2 s of silence
            try:
                await self.iopub_channel.get_msg(timeout=0)
            except Empty:
                return


class ParentBoundKernelManager(AsyncKernelManager):
    """nbclient's kernel manager, whose kernel is killed by the OS when the process that launched it dies;
    it keeps the clients it hands out, so whoever owns it can close them, and hands out ReadyKernelClient."""

    client_class = DottedObjectName("statarb_sweep.task.ReadyKernelClient")
    client_factory = Type(ReadyKernelClient, klass=AsyncKernelClient)

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


# The kernel of this Ray worker, kept between runs: after each run it gets a ``statarb_reset_request``,
# which swaps its engine process for a fresh one (booted in the background since the previous reset),
# zeroes the execution count and empties the history — the state of a newly started kernel, without the
# kernel's start and shutdown. When the reset fails (a kernel that does not know it, a dead or stuck
# kernel), that kernel is shut down and a new one started for the next run. It is fresh (no cell ran since
# its start or reset), fits one (kernel name, folder), and dies with the worker (PR_SET_PDEATHSIG).
_KEPT: tuple | None = None

#: Seconds a reset may take before the kernel is replaced by a new one instead.
RESET_TIMEOUT = 30.0


def _start_kernel(kernel: str, cwd: str):
    """A new kernel's manager, or None when it cannot start (papermill then starts one and reports why)."""
    from jupyter_core.utils import run_sync

    try:
        km = ParentBoundKernelManager(kernel_name=kernel)
        run_sync(km.start_kernel)(cwd=cwd)
        return km
    except Exception:  # noqa: BLE001
        return None


def _keep(km, kernel: str, cwd: str) -> None:
    global _KEPT
    _KEPT = (km, kernel, cwd)


def _take_kernel(kernel: str, cwd: str):
    """The kept kernel when it fits this run and is alive, else a new one (a misfit is shut down)."""
    global _KEPT
    from jupyter_core.utils import run_sync

    kept, _KEPT = _KEPT, None
    if kept is not None:
        if kept[1:] == (kernel, cwd) and run_sync(kept[0].is_alive)():
            return kept[0]
        _close(kept[0])
    return _start_kernel(kernel, cwd)


def _stop_clients(km) -> None:
    """Closes the clients nbclient (and the reset) opened on a kernel; the kernel stays."""
    for kc in km.__dict__.pop("_handed_out", []):
        try:
            kc.stop_channels()
        except Exception:  # noqa: BLE001
            pass


def _reset(km, timeout: float) -> bool:
    # a blocking client (plain zmq sockets): the manager's asyncio context is bound to nbclient's event loop
    kc = km.blocking_client()
    kc.start_channels(shell=False, iopub=False, stdin=False, hb=False, control=True)
    try:
        msg = kc.session.msg("statarb_reset_request", {})
        kc.control_channel.send(msg)
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                reply = kc.control_channel.get_msg(timeout=left)
            except Exception:  # noqa: BLE001 (queue.Empty on timeout)
                return False
            if reply.get("parent_header", {}).get("msg_id") == msg["header"]["msg_id"]:
                return reply["msg_type"] == "statarb_reset_reply" and reply["content"].get("status") == "ok"
        return False
    finally:
        kc.stop_channels()


def reset_kernel(km, timeout: float = RESET_TIMEOUT) -> bool:
    """Asks a statarb kernel to become a fresh one (statarb_reset_request on control); True when it did."""
    from jupyter_core.utils import run_sync

    _stop_clients(km)  # nbclient's, which it leaves open on a kernel it did not start
    try:
        return bool(run_sync(km.is_alive)()) and _reset(km, timeout)
    except Exception:  # noqa: BLE001 (any failure: the caller starts a new kernel)
        return False


def _close(km) -> None:
    """Shuts down a kernel this module started, with the clients nbclient opened on it."""
    from jupyter_core.utils import run_sync

    _stop_clients(km)
    try:
        if run_sync(km.is_alive)():
            run_sync(km.shutdown_kernel)(now=True)
        run_sync(km.cleanup_resources)()
    except Exception:  # noqa: BLE001 (already gone)
        pass


def _after_run(km, kernel: str, cwd: str) -> None:
    """Makes the kernel fresh for this worker's next run: reset when it can be, else a new kernel."""
    if km is not None and reset_kernel(km):
        _keep(km, kernel, cwd)
        return
    if km is not None:
        _close(km)
    km = _start_kernel(kernel, cwd)  # boots while the driver records this run and sends the next
    if km is not None:
        _keep(km, kernel, cwd)


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
    km = _take_kernel(kernel, run_cwd)
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
    _after_run(km, kernel, run_cwd)  # nbclient leaves a kernel it did not start running
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
