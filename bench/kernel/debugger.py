"""What the debugger costs a trivial cell (`1 + 1`): execute_request → execute_reply + iopub idle,
on the kernel as built before the debugger (optional, --before-kernel), on this kernel with no debugger
attached, and on this kernel with JupyterLab's session attached (initialize + attach, no breakpoint).
Blocks of --cells cells, interleaved over --rounds rounds, in one run; wall medians and the CPU the
kernel's processes (kernel + engine) used per cell (psutil), with the load average beside them.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time

import psutil
from jupyter_client import KernelManager

TIMEOUT = 60.0


def wait(kc, msg_id):
    deadline = time.perf_counter() + TIMEOUT
    replied = idle = False
    while not (replied and idle):
        if not replied:
            try:
                m = kc.get_shell_msg(timeout=0.001)
                if m["parent_header"].get("msg_id") == msg_id:
                    replied = True
                    if m["content"]["status"] != "ok":
                        raise RuntimeError(m["content"])
            except Exception as e:
                if isinstance(e, RuntimeError):
                    raise
        if not idle:
            try:
                m = kc.get_iopub_msg(timeout=0.001)
                if m["msg_type"] == "status" and m["parent_header"].get("msg_id") == msg_id and m["content"]["execution_state"] == "idle":
                    idle = True
            except Exception:
                pass
        if time.perf_counter() > deadline:
            raise RuntimeError("no reply")


class Kernel:
    def __init__(self, name):
        self.km = KernelManager(kernel_name=name)
        self.km.start_kernel()
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=TIMEOUT)
        self.proc = psutil.Process(self.km.provisioner.process.pid)
        self.seq = 0
        for _ in range(20):
            self.cell()

    def cpu(self):
        total = 0.0
        for p in [self.proc, *self.proc.children(recursive=True)]:
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except psutil.Error:
                pass
        return total

    def cell(self):
        t0 = time.perf_counter()
        wait(self.kc, self.kc.execute("1 + 1"))
        return time.perf_counter() - t0

    def dap(self, command, arguments=None):
        self.seq += 1
        msg = self.kc.session.msg("debug_request", {"type": "request", "seq": self.seq, "command": command, "arguments": arguments or {}})
        self.kc.control_channel.send(msg)
        while True:
            r = self.kc.control_channel.get_msg(timeout=TIMEOUT)
            if r["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                if not r["content"].get("success"):
                    raise RuntimeError(r["content"])
                return r["content"]

    def block(self, n):
        c0 = self.cpu()
        times = [self.cell() for _ in range(n)]
        return times, (self.cpu() - c0) / n

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default="statarb")
    ap.add_argument("--before-kernel", default=None)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--cells", type=int, default=100)
    ap.add_argument("--settle", type=int, default=10)
    ap.add_argument("--command", default="bash bench/kernel/debugger.sh")
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    load0 = os.getloadavg()
    kernels = {"after": Kernel(a.kernel)}
    if a.before_kernel:
        kernels["before"] = Kernel(a.before_kernel)
    modes = (["before"] if a.before_kernel else []) + ["detached", "attached"]
    wall = {m: [] for m in modes}
    cpu = {m: [] for m in modes}
    k = kernels["after"]
    attach, settle = [], []
    for r in range(a.rounds):
        # the order of the modes turns each round, so none always runs first
        for mode in modes[r % len(modes):] + modes[: r % len(modes)]:
            if mode == "attached":
                t0 = time.perf_counter()
                k.dap("initialize", {"clientID": "bench", "adapterID": "statarb", "pathFormat": "path", "linesStartAt1": True, "columnsStartAt1": True})
                k.dap("attach")
                k.dap("configurationDone")
                attach.append(time.perf_counter() - t0)
                # unmeasured: the cells right after attach wait while the control thread takes in V8's
                # scriptParsed events for every script already loaded (a one-off per attach)
                settle.append(sum(k.cell() for _ in range(a.settle)))
            times, c = kernels["before" if mode == "before" else "after"].block(a.cells)
            if mode == "attached":
                k.dap("disconnect", {"restart": False, "terminateDebuggee": False})
            wall[mode] += times
            cpu[mode].append(c)
    for kk in kernels.values():
        kk.close()
    load1 = os.getloadavg()
    label = {"before": "kernel before the debugger", "detached": "this kernel, no debugger attached", "attached": "this kernel, debugger attached (no breakpoint)"}
    lines = [
        "## Debugger overhead on a trivial cell",
        "",
        f"Command: `{a.command}` — {a.rounds} interleaved rounds of {a.cells} cells per mode (the order of the modes turning each round), one run. Load average at start {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}, at the end {load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f} (2 cores, shared).",
        "",
        "| mode | wall median | wall p90 | kernel+engine CPU per cell | wall / detached | CPU / detached |",
        "|---|---|---|---|---|---|",
    ]
    base_w = statistics.median(wall["detached"])
    base_c = statistics.median(cpu["detached"])
    for m in modes:
        w = statistics.median(wall[m])
        p90 = statistics.quantiles(wall[m], n=10)[-1]
        c = statistics.median(cpu[m])
        lines.append(f"| {label[m]} | {w * 1e3:.2f} ms | {p90 * 1e3:.2f} ms | {c * 1e3:.2f} ms | {w / base_w:.2f} | {c / base_c:.2f} |")
    lines += ["", f"Attaching (initialize + attach + configurationDone round trips): median {statistics.median(attach) * 1e3:.0f} ms; the {a.settle} cells right after it (not in the table) took {statistics.median(settle) * 1e3:.0f} ms together (median over rounds) while the control thread took in V8's scriptParsed events for the scripts already loaded."]
    text = "\n".join(lines) + "\n"
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
