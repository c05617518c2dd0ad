"""A Debug Adapter Protocol session with the statarb kernel over jupyter_client, as JupyterLab drives
it: debug_request on control, debug_reply back, debug_event on iopub. Prints the observations as JSON
(test/kernel/debugger.test.ts asserts them).

The cell file path is checked against ipykernel's own Murmur2 (the hash JupyterLab computes too).
"""
import time

from ipykernel.compiler import murmur2_x86
from kernel_harness import Kernel, emit

k = Kernel(ready_timeout=60)
km, kc = k.km, k.kc
out = {"events": []}
seq = [0]
events = []


def pump(timeout=0.05):
    """Reads iopub: debug events are kept; everything else is returned for the cell collectors."""
    msgs = []
    deadline = time.time() + timeout
    while True:
        try:
            m = kc.get_iopub_msg(timeout=max(0.01, deadline - time.time()))
        except Exception:
            return msgs
        if m["msg_type"] == "debug_event":
            events.append(m["content"])
        else:
            msgs.append(m)


def dap(command, arguments=None, timeout=30):
    seq[0] += 1
    msg = kc.session.msg("debug_request", {"type": "request", "seq": seq[0], "command": command, "arguments": arguments or {}})
    kc.control_channel.send(msg)
    return k.reply_to(msg["header"]["msg_id"], timeout, kc.control_channel.get_msg)["content"]


def wait_event(name, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for i, e in enumerate(events):
            if e.get("event") == name:
                return events.pop(i)
        pending.extend(pump(0.1))
    return None


pending = []


def finish(msg_id, timeout=60):
    """The execute_reply of msg_id and the cell's result (text/plain)."""
    result = None
    deadline = time.time() + timeout
    while True:
        pending.extend(pump(0.05))
        for m in pending:
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_result":
                result = m["content"]["data"]["text/plain"]
        pending.clear()
        try:
            r = kc.get_shell_msg(timeout=0.05)
        except Exception:
            if time.time() > deadline:
                return {"status": "timeout", "result": result}
            continue
        if r["parent_header"].get("msg_id") == msg_id:
            pending.extend(pump(0.2))
            for m in pending:
                if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_result":
                    result = m["content"]["data"]["text/plain"]
            pending.clear()
            return {"status": r["content"]["status"], "ename": r["content"].get("ename"), "result": result}


def where():
    """The top frame: cell line and path, and the variables of its scopes by scope name."""
    st = dap("stackTrace", {"threadId": 1})
    frames = st["body"]["stackFrames"]
    top = frames[0]
    scopes = dap("scopes", {"frameId": top["id"]})["body"]["scopes"]
    variables = {}
    for s in scopes:
        vs = dap("variables", {"variablesReference": s["variablesReference"]})["body"]["variables"]
        variables[s["name"]] = {v["name"]: v["value"] for v in vs}
    return {"line": top["line"], "path": top["source"]["path"], "name": top["name"], "frames": len(frames), "variables": variables}


def step(command):
    dap(command, {"threadId": 1})
    ev = wait_event("stopped")
    return {"stopped": ev is not None and ev["body"]["threadId"] == 1, **where()}


try:
    out["kernelInfo"] = k.reply_to(kc.kernel_info(), 30)["content"]
    out["kernelspecDebugger"] = km.kernel_spec.metadata.get("debugger")

    # JupyterLab's first request comes before initialize
    first = dap("debugInfo")
    out["debugInfoBefore"] = first
    out["initialize"] = dap("initialize", {"clientID": "jupyterlab", "adapterID": "statarb", "pathFormat": "path", "linesStartAt1": True, "columnsStartAt1": True})
    out["attach"] = dap("attach")
    info = dap("debugInfo")["body"]
    out["debugInfo"] = info

    CELL = "\n".join([
        "let total = 0;",
        "const xs: number[] = [1, 2, 3];",
        "function double(v: number): number {",
        "  const w = v * 2;",
        "  return w;",
        "}",
        "total = xs.length;",
        "const y = double(total);",
        "const z = y + 1;",
        "z",
    ])
    dumped = dap("dumpCell", {"code": CELL})
    path = dumped["body"]["sourcePath"]
    out["dumpCell"] = {"path": path, "expected": f"{info['tmpFilePrefix']}{murmur2_x86(CELL, info['hashSeed'])}{info['tmpFileSuffix']}", "content": open(path).read() == CELL}
    out["setBreakpoints"] = dap("setBreakpoints", {"source": {"path": path}, "breakpoints": [{"line": 7}], "sourceModified": False})["body"]
    out["configurationDone"] = dap("configurationDone")["success"]

    msg_id = kc.execute(CELL)
    stopped = wait_event("stopped")
    out["stopped"] = stopped and stopped["body"]
    out["atBreakpoint"] = where()
    out["debugInfoPaused"] = dap("debugInfo")["body"]["stoppedThreads"]
    out["evaluate"] = dap("evaluate", {"expression": "xs.length * 10", "frameId": 1, "context": "repl"})["body"]
    out["evaluateTs"] = dap("evaluate", {"expression": "(xs as number[]).map((v: number) => v * 2)", "frameId": 1, "context": "repl"})["body"]
    out["next"] = step("next")
    out["stepIn"] = step("stepIn")
    out["nextInside"] = step("next")
    out["copyToGlobals"] = dap("copyToGlobals", {"srcVariableName": "w", "dstVariableName": "w", "srcFrameId": 1})["success"]
    out["stepOut"] = step("stepOut")
    out["rich"] = dap("richInspectVariables", {"variableName": "xs", "frameId": 1})
    out["continue"] = dap("continue", {"threadId": 1})["success"]
    out["continued"] = wait_event("continued") is not None
    out["cell"] = finish(msg_id)
    out["inspectVariables"] = {v["name"]: {"value": v["value"], "type": v["type"], "ref": v["variablesReference"]} for v in dap("inspectVariables")["body"]["variables"]}
    ref = out["inspectVariables"].get("xs", {}).get("ref", 0)
    out["expandXs"] = [v["value"] for v in dap("variables", {"variablesReference": ref})["body"]["variables"]] if ref else None
    out["richAfter"] = dap("richInspectVariables", {"variableName": "xs"})["body"]
    finish(kc.execute('import { Panel } from "statarb";\nconst prices = Panel.fromColumns(["2024-01-02", "2024-01-03"], { KO: [60, 61], PEP: [170, 171] });'), 120)
    rich = dap("richInspectVariables", {"variableName": "prices"})["body"]["data"]
    out["richPanel"] = {"mimes": sorted(rich), "html": rich.get("text/html", "")[:2000]}

    # stepping off the end of a cell ends it; the next cell runs without stopping
    CELL3 = "let q = 1;\nq = q + 1;\nq"
    p3 = dap("dumpCell", {"code": CELL3})["body"]["sourcePath"]
    dap("setBreakpoints", {"source": {"path": p3}, "breakpoints": [{"line": 2}]})
    msg_id = kc.execute(CELL3)
    wait_event("stopped")
    lines = [where()["line"]]
    for _ in range(5):
        dap("next", {"threadId": 1})
        if wait_event("stopped", 5) is None:
            break
        lines.append(where()["line"])
    out["stepOff"] = {"lines": lines, "cell": finish(msg_id, 30), "next": finish(kc.execute("let other = 5;\nother * 2"), 30)}
    dap("setBreakpoints", {"source": {"path": p3}, "breakpoints": []})

    # an interrupt while paused ends the cell and keeps the state
    CELL2 = "let before = 1;\nbefore = 2;\nlet after = 3;"
    p2 = dap("dumpCell", {"code": CELL2})["body"]["sourcePath"]
    dap("setBreakpoints", {"source": {"path": p2}, "breakpoints": [{"line": 2}]})
    msg_id = kc.execute(CELL2)
    ev = wait_event("stopped")
    out["interruptStoppedAt"] = where()["line"] if ev else None
    t0 = time.time()
    km.interrupt_kernel()
    out["interrupted"] = finish(msg_id, 30)
    out["interruptSeconds"] = time.time() - t0
    out["afterInterrupt"] = finish(kc.execute("[before, typeof after, z]"))

    # disconnect removes the breakpoints and the kernel stays usable
    out["disconnect"] = dap("disconnect", {"restart": False, "terminateDebuggee": False})["success"]
    out["debugInfoAfter"] = dap("debugInfo")["body"]
    out["rerun"] = finish(kc.execute(CELL), 60)
    out["rerun2"] = finish(kc.execute(CELL2), 60)
    out["eventsLeft"] = [e.get("event") for e in events]
    out["alive"] = finish(kc.execute("1 + 1"))
except Exception:
    import traceback
    out["error"] = traceback.format_exc()
finally:
    k.close(now=True)
out["kernelLog"] = k.log_text(4000)
k.remove_log()
emit(out)
