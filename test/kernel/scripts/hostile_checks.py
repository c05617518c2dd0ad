"""Drives the statarb kernel with jupyter_client through what a careless or hostile cell or client does
(issue 15, kernel); prints the observations as JSON for test/kernel/hostile.test.ts.

The kernel runs with a small memory limit and output limit (STATARB_KERNEL_MEMORY_MB,
STATARB_MAX_OUTPUT_MB) so that exhausting them is quick.
"""
import hashlib
import hmac
import os
import queue
import sys
import time

from kernel_harness import Kernel, emit, result_text

k = Kernel(ready_timeout=90, env={**os.environ, "STATARB_KERNEL_MEMORY_MB": "1500", "STATARB_MAX_OUTPUT_MB": "1"}, log_stdout=True)
km, kc = k.km, k.kc
out = {}
reply_to = k.reply_to


def iopub_until_idle(msg_id, timeout=60):
    """The iopub messages of msg_id up to its idle status (types and contents)."""
    return [{"type": m["msg_type"], **m["content"]} for m in k.iopub(msg_id, timeout)]


def run(code, timeout=60):
    sys.stderr.write(f"{time.strftime('%H:%M:%S')} run {code.splitlines()[0][:70]!r}\n")
    sys.stderr.flush()
    msg_id = kc.execute(code)
    outputs = [o for o in iopub_until_idle(msg_id, timeout) if o["type"] in ("stream", "execute_result", "error", "display_data")]
    reply = reply_to(msg_id, timeout)["content"]
    return {"status": reply["status"], "ename": reply.get("ename"), "evalue": reply.get("evalue"), "outputs": outputs}


def value(r):
    return result_text(r["outputs"])


def stream_text(r):
    return "".join(o["text"] for o in r["outputs"] if o["type"] == "stream")


def control_answers(timeout=5):
    """Seconds until kernel_info on control answers (None when it does not within timeout)."""
    msg = kc.session.msg("kernel_info_request", {})
    t0 = time.time()
    kc.control_channel.send(msg)
    try:
        reply_to(msg["header"]["msg_id"], timeout, kc.get_control_msg)
        return time.time() - t0
    except queue.Empty:
        return None


def stuck_then_interrupt(setup, wait=0.0):
    """Runs `setup` (a cell that returns at once but leaves runaway work behind, after `wait` seconds),
    then a cell that cannot run while that work starves the engine; interrupts it and reports what happened."""
    first = run(setup)
    time.sleep(wait)
    msg_id = kc.execute("kept")
    time.sleep(1.0)
    try:
        reply_to(msg_id, 0.5)
        stuck = False
    except queue.Empty:
        stuck = True
    control = control_answers()
    t0 = time.time()
    km.interrupt_kernel()
    reply = reply_to(msg_id, 15)["content"]
    seconds = time.time() - t0
    after = run("kept")
    return {"setup": setup, "firstStatus": first["status"], "firstValue": value(first), "stuck": stuck, "controlSeconds": control, "status": reply["status"], "ename": reply.get("ename"), "seconds": seconds, "keptAfter": value(after)}


def checks():
    run("let kept = 42")

    # Detached runaway work: a microtask loop, an endless promise chain, a sync loop in a timer.
    out["detached"] = []
    for setup, wait in (
        ("const loop = async () => { for (;;) await Promise.resolve(); };\nloop();\n1", 0),
        ("const chain = (): Promise<void> => Promise.resolve().then(chain);\nchain();\n2", 0),
        # the loop starts once the cell has replied (a timer shorter than the cell's own reply would hold the cell)
        ("setTimeout(() => { for (;;) {} }, 1500);\n3", 2.5),
    ):
        out["detached"].append(stuck_then_interrupt(setup, wait))

    # Timers: an interrupt cancels the running cell's timers, and with no cell running every timer cells left.
    r = run("let ticks = 0;\nsetInterval(() => { ticks++; }, 5);\n'started'")
    msg_id = kc.execute("let ticks2 = 0;\nsetInterval(() => { ticks2++; }, 5);\nawait new Promise(() => {})")
    time.sleep(0.5)
    km.interrupt_kernel()
    cell = reply_to(msg_id, 15)["content"]
    r2 = run("const t2 = ticks2;\nawait new Promise((r) => setTimeout(r, 300));\nticks2 - t2")
    r3 = run("const t1 = ticks;\nawait new Promise((r) => setTimeout(r, 300));\nticks - t1 > 0")
    idle = kc.session.msg("interrupt_request", {})
    kc.control_channel.send(idle)
    reply_to(idle["header"]["msg_id"], 10, kc.get_control_msg)
    time.sleep(0.3)
    r4 = run("const t3 = ticks;\nawait new Promise((r) => setTimeout(r, 300));\nticks - t3")
    out["timers"] = {"cellEname": cell.get("ename"), "cellTimerAfter": value(r2), "leftTimerRanBeforeIdleInterrupt": value(r3), "leftTimerAfterIdleInterrupt": value(r4)}

    # Memory: a cell that grows past the engine's limit is stopped with a MemoryError, state kept;
    # a cell that ends the engine (killed here) gets an error naming the restart, and the kernel lives on.
    r = run("{\n  const hog: Float64Array[] = [];\n  for (;;) hog.push(new Float64Array(1 << 20).fill(1));\n}", timeout=120)
    out["memory"] = {"status": r["status"], "ename": r["ename"], "evalue": r["evalue"], "keptAfter": value(run("kept"))}
    r = run("{\n  const objs: number[][] = [];\n  for (;;) objs.push(Array.from({ length: 1000 }, (_, i) => i + 0.5));\n}", timeout=120)
    out["heap"] = {"status": r["status"], "ename": r["ename"], "evalue": r["evalue"], "keptAfter": value(run("kept"))}
    r = run("process.kill(process.pid, 'SIGKILL')", timeout=60)
    after = run("typeof kept")
    out["engineKilled"] = {"status": r["status"], "ename": r["ename"], "evalue": r["evalue"], "after": value(after), "alive": km.is_alive()}
    run("let kept = 42")

    # Huge outputs (limit 1 MB here): a stream and a result are cut with a visible notice.
    r = run('console.log("x".repeat(3_000_000));\n"done"')
    out["hugeStream"] = {"chars": len(stream_text(r)), "text": stream_text(r)[-400:], "value": value(r)}
    r = run('display.html("<p>" + "y".repeat(3_000_000) + "</p>");\n"shown"')
    shown = [o for o in r["outputs"] if o["type"] == "display_data"]
    out["hugeDisplay"] = {"bundles": [{k: v[:400] for k, v in o["data"].items()} for o in shown], "value": value(r)}

    # Replayed and malformed messages.
    replay = kc.session.msg("execute_request", {"code": "globalThis.replays = ((globalThis as any).replays ?? 0) + 1", "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
    frames = kc.session.serialize(replay)
    kc.shell_channel.socket.send_multipart(frames)
    reply_to(replay["header"]["msg_id"], 30)
    kc.shell_channel.socket.send_multipart(frames)
    time.sleep(1.0)
    out["replay"] = {"count": value(run("(globalThis as any).replays"))}


    def signed_raw(header, content_bytes):
        key = km.session.key
        parts = [kc.session.pack(header), b"{}", b"{}", content_bytes]
        h = hmac.new(key, digestmod=hashlib.sha256)
        for p in parts:
            h.update(p)
        return [b"<IDS|MSG>", h.hexdigest().encode(), *parts]


    bad_type = kc.session.msg("execute_request", {"code": 5, "silent": "no"})
    kc.shell_channel.send(bad_type)
    bad_type_iopub = iopub_until_idle(bad_type["header"]["msg_id"], 20)
    bad_type_reply = reply_to(bad_type["header"]["msg_id"], 20)["content"]
    not_json = kc.session.msg("execute_request", {})
    kc.shell_channel.socket.send_multipart(signed_raw(not_json["header"], b"{not json"))
    not_json_iopub = iopub_until_idle(not_json["header"]["msg_id"], 20)
    not_json_reply = reply_to(not_json["header"]["msg_id"], 20)["content"]
    out["malformed"] = {
        "badType": {"reply": bad_type_reply, "states": [m["execution_state"] for m in bad_type_iopub if m["type"] == "status"]},
        "notJson": {"reply": not_json_reply, "states": [m["execution_state"] for m in not_json_iopub if m["type"] == "status"]},
        "keptAfter": value(run("kept")),
    }

    # Bad comm messages: wrong shapes, unknown ids, a handler that throws.
    run('Jupyter.comms.registerTarget("boom", (comm) => { comm.onMsg(() => { throw new Error("handler failed"); }); });\n"ok"')
    for content in ({"comm_id": 7, "target_name": "boom"}, {"comm_id": "b1", "target_name": "boom", "data": "str"}, {"comm_id": "b2", "target_name": "boom", "data": {}}):
        kc.shell_channel.send(kc.session.msg("comm_open", content))
    for content in ({"comm_id": "b2", "data": {"x": 1}}, {"comm_id": "nobody", "data": {}}, {"comm_id": ["b2"], "data": {}}):
        kc.shell_channel.send(kc.session.msg("comm_msg", content))
    kc.shell_channel.send(kc.session.msg("comm_close", {"comm_id": None}))
    out["comms"] = {"keptAfter": value(run("kept")), "commInfo": reply_to(kc.comm_info(), 20)["content"].get("comms")}



try:
    checks()
except Exception as e:  # reported, with the kernel's log, by the test
    out["failed"] = f"{type(e).__name__}: {e}"
finally:
    out["aliveAtEnd"] = km.is_alive()
    k.close(now=True)
    out["kernelLog"] = k.log_text(20000)
    k.remove_log()
    emit(out)
