"""Kills the kernel process (SIGKILL) while a cell spins; prints whether its engine process ended too
and how soon (kernel/executor/control.ts ends the engine when the kernel's control pipe closes)."""
import os
import signal
import subprocess
import time

from kernel_harness import Kernel, emit

k = Kernel(ready_timeout=60, stderr=subprocess.DEVNULL)
km, kc = k.km, k.kc
msg_id = kc.execute("while (true) {}")
while True:
    m = kc.get_iopub_msg(timeout=60)
    if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_input":
        break
time.sleep(0.3)
kernel_pid = km.provisioner.pid
engines = [int(p) for p in subprocess.run(["pgrep", "-P", str(kernel_pid)], capture_output=True, text=True).stdout.split()]


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (ended, not yet reaped) counts as ended
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[0] != "Z"


os.kill(kernel_pid, signal.SIGKILL)
t0 = time.time()
while time.time() - t0 < 10 and any(alive(p) for p in engines):
    time.sleep(0.05)
left = [p for p in engines if alive(p)]
for p in left:
    os.kill(p, signal.SIGKILL)
kc.stop_channels()
try:
    km.cleanup_resources()
except Exception:
    pass
emit({"engines": len(engines), "aliveAfter": len(left), "seconds": time.time() - t0})
