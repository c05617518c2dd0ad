"""Drives the statarb kernel's Jupyter widgets (comm target jupyter.widget, protocol 2.1.0) with
jupyter_client as a front end would: a cell makes a slider, an output area and a button; the client
sends the slider an update, asks for its state and clicks the button. Prints the observations as JSON."""
import json
import tempfile
import time

from jupyter_client.manager import KernelManager

log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
km = KernelManager(kernel_name="statarb")
km.start_kernel(stderr=log)
kc = km.client()
kc.start_channels()
kc.wait_for_ready(timeout=90)


def collect(msg_id, timeout=60):
    seen = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            m = kc.get_iopub_msg(timeout=0.1)
        except Exception:
            continue
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "status":
            if m["content"]["execution_state"] == "idle":
                break
            continue
        seen.append({"type": m["msg_type"], "content": m["content"], "metadata": m["metadata"]})
    return seen


def run(code):
    return collect(kc.execute(code))


def comm_msg(comm_id, data):
    msg = kc.session.msg("comm_msg", {"comm_id": comm_id, "data": data})
    kc.shell_channel.send(msg)
    return collect(msg["header"]["msg_id"])


out = {}
try:
    out["make"] = run(
        'const s = widgets.slider({ min: 0, max: 20, value: 3, description: "lookback" });\n'
        "const out = widgets.output();\n"
        "const seen: number[] = [];\n"
        "s.observe((v) => { seen.push(v); out.clear(); out.display(`lookback=${v}`); });\n"
        'const b = widgets.button({ description: "run" });\n'
        "let clicks = 0;\n"
        'b.onClick(() => { clicks++; out.print("clicked"); });\n'
        "display(s); display(out); display(b);\n"
        '"made"'
    )
    opens = {o["content"]["data"]["state"]["_model_name"]: o["content"]["comm_id"] for o in out["make"] if o["type"] == "comm_open"}
    out["update"] = comm_msg(opens["IntSliderModel"], {"method": "update", "state": {"value": 7}, "buffer_paths": []})
    out["requestState"] = comm_msg(opens["IntSliderModel"], {"method": "request_state"})
    out["click"] = comm_msg(opens["ButtonModel"], {"method": "custom", "content": {"event": "click"}})
    out["after"] = run("JSON.stringify({ seen, clicks, value: s.value, outputs: out.outputs })")
    out["bad"] = run("widgets.slider({ min: 5, max: 1 })")
    out["opens"] = opens
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
print(json.dumps(out))
