"""Drives the statarb kernel with jupyter_client directly; prints the observations as JSON.

Covers what nbclient cannot: interrupts (interrupt_request on control, and SIGINT), input_request
through stdin for prompt(), wrongly signed / unsigned messages (must be dropped, never executed),
kernel_info, is_complete, comms and history.
"""
import signal
import time

from jupyter_client.session import Session
from kernel_harness import OUTPUT_TYPES, Kernel, emit, result_text

k = Kernel(ready_timeout=60)
km, kc = k.km, k.kc
out = {}
reply_to = k.reply_to


def collect(msg_id, timeout=60, stdin_value=None):
    if stdin_value is not None:
        msgs, prompts = k.iopub(msg_id, timeout, poll=0.05, stdin_value=stdin_value)
    else:
        msgs, prompts = k.iopub(msg_id, timeout, poll=0.05), []
    outputs = [{"type": m["msg_type"], **m["content"]} for m in msgs if m["msg_type"] in OUTPUT_TYPES]
    reply = reply_to(msg_id, timeout)
    return {"status": reply["content"]["status"], "reply": reply["content"], "outputs": outputs, "prompts": prompts}


def value(r):
    return result_text(r["outputs"])


def run(code, **kw):
    stdin_value = kw.pop("stdin_value", None)
    return collect(kc.execute(code, allow_stdin=stdin_value is not None, **kw), stdin_value=stdin_value)


run("let kept = 42")

# Interrupts: a synchronous loop, a loop after an await, a loop in a timer callback, a pending promise.
out["interrupts"] = []
loops = [
    ("message", "while (true) {}"),
    ("message", "await new Promise((r) => setTimeout(r, 1));\nwhile (true) {}"),
    ("message", "setTimeout(() => { while (true) {} }, 10);\nawait new Promise((r) => setTimeout(r, 60000))"),
    ("message", "await new Promise(() => {})"),
    ("message", "%%sh\nsleep 30"),
    ("message", "setInterval(() => { while (true) {} }, 5);\nawait new Promise((r) => setTimeout(r, 60000))"),
    ("message", "process.nextTick(() => { while (true) {} });\nawait new Promise((r) => setTimeout(r, 60000))"),
    ("signal", "while (true) {}"),
]
for mode, code in loops:
    msg_id = kc.execute(code)
    # Interrupt only once the cell is running (its execute_input is out), however loaded the machine is.
    while True:
        m = kc.get_iopub_msg(timeout=60)
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_input":
            break
    time.sleep(0.3)
    t0 = time.time()
    if mode == "signal":
        km.signal_kernel(signal.SIGINT)
    else:
        km.interrupt_kernel()
    reply = reply_to(msg_id, 15)
    latency = time.time() - t0
    after = run("kept")
    out["interrupts"].append({"mode": mode, "code": code, "status": reply["content"]["status"], "ename": reply["content"].get("ename"), "seconds": latency, "keptAfter": value(after)})

# prompt() through stdin
r = run('const who = prompt("your name?");\n"hello " + who', stdin_value="Ada")
out["prompt"] = {"prompts": r["prompts"], "value": value(r)}
r = run('prompt("no stdin")')
out["promptWithoutStdin"] = {"status": r["status"], "ename": r["reply"].get("ename")}

# Wrongly signed and unsigned execute requests must be dropped.
for label, key in (("badKey", b"not-the-key"), ("unsigned", b"")):
    forged = Session(key=key, username="attacker")
    forged.send(kc.shell_channel.socket, "execute_request", content={"code": f"globalThis.pwned_{label} = 1", "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
time.sleep(1.0)
r = run("[typeof (globalThis as any).pwned_badKey, typeof (globalThis as any).pwned_unsigned]")
out["hmac"] = {"value": value(r)}

# kernel_info, is_complete, history, comms
info = reply_to(kc.kernel_info(), 10)
out["kernelInfo"] = info["content"]
out["isComplete"] = {}
for code in ["let x = 1", "function f() {", "const s = `abc", "foo)", "%%sh\necho"]:
    out["isComplete"][code] = reply_to(kc.is_complete(code), 10)["content"]["status"]
out["history"] = reply_to(kc.history(hist_access_type="tail", n=3), 10)["content"]
r = run('Jupyter.comms.registerTarget("echo", (comm, data) => { comm.onMsg((d) => comm.send({ echoed: d })); comm.send({ opened: data }); });\n"registered"')
comm_msg = kc.session.msg("comm_open", {"comm_id": "c1", "target_name": "echo", "data": {"hello": 1}})
kc.shell_channel.send(comm_msg)
seen = []
deadline = time.time() + 10
while time.time() < deadline and len(seen) < 1:
    try:
        m = kc.get_iopub_msg(timeout=0.2)
    except Exception:
        continue
    if m["msg_type"] == "comm_msg":
        seen.append(m["content"])
out["commInfo"] = reply_to(kc.comm_info(), 10)["content"]
out["comm"] = seen
bad = kc.session.msg("comm_open", {"comm_id": "c2", "target_name": "nobody", "data": {}})
kc.shell_channel.send(bad)
closed = False
deadline = time.time() + 10
while time.time() < deadline and not closed:
    try:
        m = kc.get_iopub_msg(timeout=0.2)
    except Exception:
        continue
    closed = m["msg_type"] == "comm_close" and m["content"].get("comm_id") == "c2"
out["unknownTargetClosed"] = closed
out["aliveAtEnd"] = km.is_alive()

k.close(now=False)
out["kernelLog"] = k.log_text()
k.remove_log()
emit(out)
