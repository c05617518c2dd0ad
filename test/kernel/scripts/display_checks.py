"""Drives the statarb kernel with jupyter_client: arrays of plain row objects display as HTML tables,
lib's progressBar() draws one display that updates in place (display_data, then
update_display_data on the same display_id), and inspect_request (Shift+Tab) on a stats result shows
its summary. Prints the observations as JSON."""
from kernel_harness import OUTPUT_TYPES, Kernel, emit

k = Kernel(ready_timeout=90)


def run(code, timeout=120):
    return k.outputs(k.kc.execute(code), timeout, types=(*OUTPUT_TYPES, "update_display_data"))


def inspect(code, cursor_pos=None, detail_level=0):
    return k.reply_to(k.kc.inspect(code, len(code) if cursor_pos is None else cursor_pos, detail_level), 60)["content"]


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
    out["statsCell"] = run(
        'import { ols, adf, pca, createRng } from "statarb";\n'
        "const rng = createRng(3);\n"
        "const xs = Float64Array.from({ length: 120 }, () => rng.normal());\n"
        "const ys = xs.map((v) => 2 + 0.5 * v + rng.normal());\n"
        "const fit = ols(ys, xs);\n"
        "const test = adf(ys);\n"
        "const pcs = pca([xs, ys]);\n"
        "const nested = { inner: { fit } };\n"
        "fit.nobs"
    )
    out["inspectFit"] = inspect("fit")
    out["inspectFitMiddle"] = inspect("fit.params", 1)
    out["inspectNested"] = inspect("nested.inner.fit")
    out["inspectAdf"] = inspect("test")
    out["inspectPca"] = inspect("pcs")
    out["inspectPlain"] = inspect("xs")
finally:
    k.close(now=True)
emit(out)
