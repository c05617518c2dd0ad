"""Drives the statarb kernel with jupyter_client: arrays of plain row objects display as HTML tables,
and lib's progressBar() draws one display that updates in place (display_data, then
update_display_data on the same display_id). Prints the observations as JSON."""
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


def run(code, timeout=120):
    msg_id = kc.execute(code)
    outputs = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            m = kc.get_iopub_msg(timeout=0.1)
        except Exception:
            continue
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
        if m["msg_type"] in ("stream", "execute_result", "error", "display_data", "update_display_data"):
            outputs.append({"type": m["msg_type"], **m["content"]})
    return outputs


out = {}
try:
    out["rows"] = run('[{ date: "2024-01-02", ticker: "AA", pnl: 1.5 }, { date: "2024-01-03", ticker: "GE", pnl: -0.25, note: "x" }]')
    out["notRows"] = run("[1, 2, 3]")
    out["progress"] = run(
        'const { progressBar } = await import("statarb");\n'
        "const bar = progressBar();\n"
        'for (let i = 1; i <= 4; i++) bar({ task: "job", done: i, total: 4, unit: "steps" });\n'
        '"drawn"'
    )
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
print(json.dumps(out))
