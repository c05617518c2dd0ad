"""Drives the statarb kernel's Jupyter widgets (comm target jupyter.widget, protocol 2.1.0) with
jupyter_client as a front end would: a cell makes a slider, an output area and a button; the client
sends the slider an update (echoed back as echo_update), asks for its state and clicks the button;
an Output widget captures a cell's and an observer's output by msg_id. Prints the observations as JSON."""
from kernel_harness import Kernel, emit

k = Kernel(ready_timeout=90)
kc = k.kc


def run(code):
    msg_id = kc.execute(code)
    return k.messages(msg_id), msg_id


def comm_msg(comm_id, data):
    msg_id = k.send("comm_msg", {"comm_id": comm_id, "data": data})
    return k.messages(msg_id), msg_id


out = {}
try:
    out["make"], _ = run(
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
    out["update"], out["updateId"] = comm_msg(opens["IntSliderModel"], {"method": "update", "state": {"value": 7, "not_a_field": 1}, "buffer_paths": []})
    out["requestState"], _ = comm_msg(opens["IntSliderModel"], {"method": "request_state"})
    out["click"], _ = comm_msg(opens["ButtonModel"], {"method": "custom", "content": {"event": "click"}})
    out["after"], _ = run("JSON.stringify({ seen, clicks, value: s.value, outputs: out.outputs })")
    out["bad"], _ = run("widgets.slider({ min: 5, max: 1 })")
    out["opens"] = opens

    # Output capture by msg_id: a cell's own output, then an observer's (clear first, waiting)
    out["capture"], out["captureId"] = run(
        "const cap = widgets.output();\n"
        "display(cap);\n"
        'const got = cap.capture(() => { console.log("inside"); display.html("<b>shown</b>"); return 5; });\n'
        'console.log("outside", got);\n'
        'const k = widgets.slider({ min: 1, max: 9, value: 2, description: "k" });\n'
        "k.observe((v) => cap.capture(() => console.log(`k=${v}`), { clear: true }));\n"
        '"captured"'
    )
    slider_k = [o["content"]["comm_id"] for o in out["capture"] if o["type"] == "comm_open" and o["content"]["data"]["state"]["_model_name"] == "IntSliderModel"][0]
    out["captureOutput"] = [o["content"]["comm_id"] for o in out["capture"] if o["type"] == "comm_open" and o["content"]["data"]["state"]["_model_name"] == "OutputModel"][0]
    out["observerCapture"], out["observerCaptureId"] = comm_msg(slider_k, {"method": "update", "state": {"value": 5}, "buffer_paths": []})
finally:
    k.close(now=True)
emit(out)
