"""Side-by-side kernel benchmark: statarb vs tslab vs ipykernel, same machine, same run, driven by
jupyter_client / nbclient from .venv.

  start      kernel process launch → first kernel_info_reply (median of --starts runs, interleaved)
  trivial    execute_request of `1 + 1` → execute_reply and iopub idle (median of --cells after warm-up)
  notebook   a 20-cell notebook under nbclient, kernel start to shutdown included (median of --notebooks)

Writes a markdown section (machine, command, table with ratios tslab / statarb and ipykernel / statarb — peer time over statarb time, above 1× statarb is faster — and the issue's targets).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from queue import Empty

import nbformat
import zmq
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).parent))
from notebook_cells import PYTHON_CELLS, TYPESCRIPT_CELLS  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import rows as bench_rows  # noqa: E402  (bench/rows.py: the rows npm run bench prints)

# The clients' sockets connect before the kernel has bound its ports; zmq's default 100 ms
# reconnect interval would quantise the start-up measurement, so retry every 2 ms for every kernel.
zmq.Context.instance().setsockopt(zmq.RECONNECT_IVL, 2)

TRIVIAL = {"typescript": "1 + 1", "python": "1 + 1"}
TIMEOUT = 60.0


def wait_for_idle(kc, msg_id: str, timeout: float = TIMEOUT) -> None:
    deadline = time.perf_counter() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.0, deadline - time.perf_counter()))
        if (
            msg["msg_type"] == "status"
            and msg["parent_header"].get("msg_id") == msg_id
            and msg["content"]["execution_state"] == "idle"
        ):
            return


def wait_for_reply(kc, msg_id: str, timeout: float = TIMEOUT) -> dict:
    deadline = time.perf_counter() + timeout
    while True:
        msg = kc.get_shell_msg(timeout=max(0.0, deadline - time.perf_counter()))
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg


def wait_for_iopub(kc, timeout: float = TIMEOUT) -> None:
    """Until iopub carries a status for our own request: a SUB socket misses what the kernel publishes
    before the subscription reaches it (zmq's slow joiner), so a cell sent right after wait_for_ready
    can lose its busy/idle."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        msg_id = kc.kernel_info()
        wait_for_reply(kc, msg_id)
        try:
            wait_for_idle(kc, msg_id, timeout=1.0)
            return
        except Empty:
            continue
    raise RuntimeError("iopub never delivered a status message")


def start_client(kernel: str):
    km = KernelManager(kernel_name=kernel)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=TIMEOUT)
        wait_for_iopub(kc)
    except Exception:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        raise
    return km, kc


def measure_start(kernel: str, language: str, then: str) -> tuple[float, float]:
    """Seconds from launching the kernel to its first kernel_info_reply, and of what is sent right after
    that reply: the trivial cell (`then="cell"`: execute_request → execute_reply) or a completion
    (`then="complete"`: complete_request → a reply with the expected match)."""
    km = KernelManager(kernel_name=kernel)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        msg_id = kc.kernel_info()
        wait_for_reply(kc, msg_id)
        start = time.perf_counter() - t0
        t1 = time.perf_counter()
        if then == "cell":
            reply = wait_for_reply(kc, kc.execute(TRIVIAL[language]))
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"{kernel}: first cell failed: {reply['content']}")
        else:
            code, expected = FIRST_COMPLETION[language]
            reply = wait_for_reply(kc, kc.complete(code, len(code)))
            if not any(m.endswith(expected) for m in reply["content"].get("matches", [])):
                raise RuntimeError(f"{kernel}: first completion of {code!r} lacks {expected!r}: {reply['content']}")
        return start, time.perf_counter() - t1
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


FIRST_COMPLETION = {"typescript": ("Math.fl", "floor"), "python": ("import math\nmath.fl", "floor")}


def trivial_round_trip(kc, code: str) -> float | None:
    """Seconds of one trivial cell (execute_request → execute_reply and iopub idle), None when a message was lost."""
    t0 = time.perf_counter()
    msg_id = kc.execute(code)
    try:
        reply = wait_for_reply(kc, msg_id, timeout=5.0)
        wait_for_idle(kc, msg_id, timeout=5.0)
    except Empty:
        wait_for_iopub(kc)
        return None
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"trivial cell failed: {reply['content']}")
    return time.perf_counter() - t0


def measure_trivial_interleaved(kernels: list[tuple[str, str]], warmup: int, n: int) -> dict[str, tuple[list[float], int]]:
    """Round trips of a trivial cell on every kernel, started together and interleaved cell by cell
    (ABCABC…) so that the machine's load falls on all alike; `warmup` unmeasured ones first. A round
    trip that lost its reply or idle status (tslab drops one now and then) is re-synced and left out."""
    clients = {name: start_client(name) for name, _ in kernels}
    try:
        times: dict[str, list[float]] = {name: [] for name, _ in kernels}
        lost = {name: 0 for name, _ in kernels}
        for i in range(warmup + n):
            for name, lang in kernels:
                dt = trivial_round_trip(clients[name][1], TRIVIAL[lang])
                if dt is None:
                    lost[name] += 1
                    if lost[name] > max(3, n // 10):
                        raise RuntimeError(f"{name}: {lost[name]} trivial cells lost their reply or idle status")
                elif i >= warmup:
                    times[name].append(dt)
        return {name: (times[name], lost[name]) for name, _ in kernels}
    finally:
        for km, kc in clients.values():
            kc.stop_channels()
            km.shutdown_kernel(now=True)


def percentile(values: list[float], q: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(q * len(v)))]


COMPLETION = {
    "typescript": ("const alphaSignal = 1;", ["Math.fl", "alphaSig", "[1, 2].inclu"]),
    "python": ("import math\nalpha_signal = 1", ["math.fl", "alpha_sig", "[1, 2].ind"]),
}


def in_new_context(language: str, i: int, code: str) -> str:
    """`code` after a first line that differs every time: a completion whose surroundings the kernel has not seen."""
    return f"const v{i} = {i};\n{code}" if language == "typescript" else f"v{i} = {i}\n{code}"


def measure_complete(kernel: str, language: str, n: int) -> tuple[float, list[float], list[float]]:
    """Seconds of the first complete_request (language-service warm-up), of `n` later ones (the same three
    texts in turn), and of `n` more each in a new context (a first line that differs every time)."""
    km, kc = start_client(kernel)
    try:
        setup, samples = COMPLETION[language]
        msg_id = kc.execute(setup)
        wait_for_reply(kc, msg_id)
        wait_for_idle(kc, msg_id)
        times = []
        for i in range(n + 1):
            code = samples[i % len(samples)]
            t0 = time.perf_counter()
            reply = wait_for_reply(kc, kc.complete(code, len(code)))
            times.append(time.perf_counter() - t0)
            if reply["content"]["status"] != "ok" or not reply["content"]["matches"]:
                raise RuntimeError(f"{kernel}: no completion for {code!r}: {reply['content']}")
        fresh = []
        for i in range(n):
            code = in_new_context(language, i, samples[i % len(samples)])
            t0 = time.perf_counter()
            reply = wait_for_reply(kc, kc.complete(code, len(code)))
            fresh.append(time.perf_counter() - t0)
            if reply["content"]["status"] != "ok" or not reply["content"]["matches"]:
                raise RuntimeError(f"{kernel}: no completion for {code!r}: {reply['content']}")
        return times[0], times[1:], fresh
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def measure_notebook(kernel: str, language: str) -> float:
    """Seconds for nbclient to run the 20-cell notebook (kernel start and shutdown included)."""
    cells = TYPESCRIPT_CELLS if language == "typescript" else PYTHON_CELLS
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    client = NotebookClient(nb, kernel_name=kernel, timeout=int(TIMEOUT), allow_errors=False)
    t0 = time.perf_counter()
    client.execute()
    dt = time.perf_counter() - t0
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    if errors:
        raise RuntimeError(f"{kernel}: notebook cell failed: {errors[0].get('ename')}: {errors[0].get('evalue')}")
    return dt


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores, {cpu}, Linux {platform.release()}, Node {node}, Python {platform.python_version()}, load average at start {load}"


def fmt_ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernels", default="statarb:typescript,tslab:typescript,python3:python")
    ap.add_argument("--starts", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--cells", type=int, default=200)
    ap.add_argument("--notebooks", type=int, default=3)
    ap.add_argument("--completions", type=int, default=30)
    ap.add_argument("--out", required=True)
    ap.add_argument("--json", help="also write the raw numbers here")
    ap.add_argument("--command", default=" ".join(sys.argv))
    args = ap.parse_args()

    kernels = [tuple(k.split(":")) for k in args.kernels.split(",")]
    specs = KernelSpecManager()
    missing = {}
    for name, _ in kernels:
        try:
            specs.get_kernel_spec(name)
        except NoSuchKernel:
            missing[name] = "kernelspec not installed"
    present = [(n, lang) for n, lang in kernels if n not in missing]
    header = machine()
    print(f"[bench kernel] {header}", flush=True)

    results: dict[str, dict[str, object]] = {n: {} for n, _ in kernels}
    for n, reason in missing.items():
        results[n]["error"] = reason

    def guarded(name: str, what: str, fn):
        """Runs one measurement; a failure is retried once, then reported (the other kernels are still measured)."""
        if "error" in results[name]:
            return None
        for attempt in (1, 2):
            try:
                return fn()
            except Exception as e:
                first = next((line for line in str(e).splitlines() if line.strip() and not line.startswith("-")), "")
                print(f"[bench kernel] {name} {what} failed (attempt {attempt}): {type(e).__name__}: {first}", flush=True)
                if attempt == 2:
                    results[name].setdefault("failures", []).append(f"{what}: {type(e).__name__}: {first}")
        return None

    starts: dict[str, list[float]] = {n: [] for n, _ in present}
    firsts: dict[str, dict[str, list[float]]] = {"cell": {n: [] for n, _ in present}, "complete": {n: [] for n, _ in present}}
    for i in range(args.starts):
        then = "cell" if i % 2 == 0 else "complete"
        for name, lang in present:
            t = guarded(name, f"start then first {then}", lambda: measure_start(name, lang, then))
            if t is not None:
                starts[name].append(t[0])
                firsts[then][name].append(t[1])
    for name, _ in present:
        if starts[name]:
            results[name]["start"] = statistics.median(starts[name])
            results[name]["start_all"] = starts[name]
        for then, key in (("cell", "first_cell"), ("complete", "first_complete")):
            if firsts[then][name]:
                results[name][key] = statistics.median(firsts[then][name])
                results[name][f"{key}_all"] = firsts[then][name]
        print(f"[bench kernel] {name} start {starts[name]} first cell {firsts['cell'][name]} first completion {firsts['complete'][name]}", flush=True)

    try:
        trivial = measure_trivial_interleaved(present, args.warmup, args.cells)
    except Exception as e:
        print(f"[bench kernel] interleaved trivial cells failed: {type(e).__name__}: {e}", flush=True)
        trivial = {}
    for name, (times, lost) in trivial.items():
        if lost:
            results[name].setdefault("failures", []).append(f"note: {lost} trivial-cell round trips lost a message (re-synced, left out of the median)")
        results[name]["trivial"] = statistics.median(times)
        results[name]["trivial_p10"] = percentile(times, 0.1)
        results[name]["trivial_p90"] = percentile(times, 0.9)
        results[name]["trivial_cpu_note"] = True
        print(f"[bench kernel] {name} trivial median {results[name]['trivial'] * 1000:.2f} ms (p10 {results[name]['trivial_p10'] * 1000:.2f}, p90 {results[name]['trivial_p90'] * 1000:.2f})", flush=True)

    for name, lang in present:
        got = guarded(name, "completion", lambda: measure_complete(name, lang, args.completions))
        if got:
            results[name]["complete_first"] = got[0]
            results[name]["complete"] = statistics.median(got[1])
            results[name]["complete_new"] = statistics.median(got[2])
            print(f"[bench kernel] {name} completion first {got[0] * 1000:.0f} ms, then median {results[name]['complete'] * 1000:.1f} ms, "
                  f"in a new context {results[name]['complete_new'] * 1000:.1f} ms", flush=True)

    notebooks: dict[str, list[float]] = {n: [] for n, _ in present}
    for _ in range(args.notebooks):
        for name, lang in present:
            t = guarded(name, "notebook", lambda: measure_notebook(name, lang))
            if t is not None:
                notebooks[name].append(t)
    for name, _ in present:
        if notebooks[name]:
            results[name]["notebook"] = statistics.median(notebooks[name])
            results[name]["notebook_all"] = notebooks[name]
        print(f"[bench kernel] {name} notebook {notebooks[name]}", flush=True)

    Path(args.out).write_text(report(header, args, kernels, results))
    write_rows(args, results, Path(args.out).parent)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


# the targets (issue 16): metric → (check of statarb's value given every kernel's results, text)
def targets(metric: str, results: dict) -> tuple[bool | None, str]:
    ours = results.get("statarb", {}).get(metric)
    tslab = results.get("tslab", {}).get(metric)
    ipy = results.get("python3", {}).get(metric)
    if ours is None:
        return None, "—"
    if metric == "start":
        return ours <= 1.0, "≤ 1 s"
    if metric == "first_cell":
        return ours <= 0.1, "≤ 100 ms"
    if metric == "first_complete":
        return ours <= 1.0, "≤ 1 s, correct"
    if metric == "trivial":
        return (None, "median ≤ ipykernel's") if ipy is None else (ours <= ipy, "median ≤ ipykernel's")
    if metric == "notebook":
        return (None, "≤ ½ tslab") if tslab is None else (ours <= tslab / 2, "≤ ½ tslab")
    if metric == "complete_first":
        return ours <= 1.0, "≤ 1 s"
    return ours <= 0.1, "tens of ms"


def write_rows(args, results: dict, directory: Path) -> None:
    """The rows for npm run bench's summary (bench/rows.py): ms; ratio = statarb's lead over the peer named
    (the target's peer, else the faster of tslab and ipykernel); verdict from targets()."""
    target_peer = {"trivial": "python3", "notebook": "tslab"}
    names = {"python3": "ipykernel", "tslab": "tslab"}
    load = bench_rows.load_now()
    out = []
    for key, label in (("start", "start → first kernel_info_reply"), ("first_cell", "first cell right after start"),
                       ("first_complete", "first completion right after start"), ("trivial", "trivial cell round trip (median)"),
                       ("notebook", "20-cell notebook under nbclient"), ("complete_first", "first completion after one cell"),
                       ("complete", "later completion round trip"), ("complete_new", "later completion in a new context")):
        ours = results.get("statarb", {}).get(key)
        if not isinstance(ours, float):
            continue
        peer_name = target_peer.get(key)
        if peer_name is None:
            faster = [(v, n) for n in ("tslab", "python3") if isinstance(v := results.get(n, {}).get(key), float)]
            peer_name = min(faster)[1] if faster else None
        peer = results.get(peer_name, {}).get(key) if peer_name else None
        if not isinstance(peer, float):
            peer, peer_name = None, None
        met, target = targets(key, results)
        row = {"row": label, "statarb": ours * 1000, "peer": None if peer is None else peer * 1000,
               "ratio": None if peer is None or ours <= 0 or peer <= 0 else bench_rows.lead(ours, peer, "time"),
               "unit": "ms", "target": None if target == "—" else target,
               "verdict": "info" if met is None else ("met" if met else "missed"), "load": load}
        if peer_name:
            row["peerName"] = names[peer_name]
        out.append(row)
    bench_rows.write_rows("kernel", out, command=args.command, directory=str(directory))


def cell(results: dict, name: str, key: str) -> str:
    v = results[name].get(key)
    if key == "trivial" and v is not None:
        return f"{fmt_ms(v)} ({fmt_ms(results[name]['trivial_p10'])}–{fmt_ms(results[name]['trivial_p90'])})"
    return fmt_ms(v)


def report(header: str, args, kernels, results) -> str:
    names = [n for n, _ in kernels]
    # the previous build's column says which build it is (PREV_LABEL, e.g. "statarb before <commit>")
    labels = {"python3": "ipykernel", "statarb-prev": os.environ.get("PREV_LABEL", "statarb before")}
    rows = [
        ("start", f"start → first kernel_info_reply (median of {args.starts})"),
        ("first_cell", f"first cell `1 + 1` sent right after that reply → execute_reply (median of {(args.starts + 1) // 2})"),
        ("first_complete", f"first complete_request `Math.fl` sent right after that reply (median of {args.starts // 2})"),
        ("trivial", f"trivial cell `1 + 1` round trip, kernels interleaved (median (p10–p90) of {args.cells} after {args.warmup} warm-up)"),
        ("notebook", f"20-cell notebook under nbclient (median of {args.notebooks})"),
        ("complete_first", "first complete_request after one executed cell"),
        ("complete", f"later complete_request round trip (median of {args.completions})"),
        ("complete_new", f"later complete_request in a new context, a first line that differs each time (median of {args.completions})"),
    ]
    out = ["## Kernel (statarb vs tslab vs ipykernel)", ""]
    out.append(f"Machine: {header}.")
    out.append("")
    out.append(f"Command: `{args.command}` (tslab's and statarb's kernelspecs installed into a temporary Jupyter prefix; "
               "ipykernel's from .venv; clients from .venv's jupyter_client / nbclient).")
    out.append("")
    out.append("| metric | " + " | ".join(labels.get(n, n) for n in names) + " | tslab / statarb | ipykernel / statarb | target | met |")
    out.append("|---|" + "---|" * len(names) + "---|---|---|---|")
    for key, label in rows:
        ours, tslab, ipy = (results.get(n, {}).get(key) for n in ("statarb", "tslab", "python3"))
        # statarb's lead, as in every section (above 1 statarb is faster)
        ratio = f"{tslab / ours:.2f}" if isinstance(ours, float) and isinstance(tslab, float) and ours > 0 else "—"
        ratio_ipy = f"{ipy / ours:.2f}" if isinstance(ours, float) and isinstance(ipy, float) and ours > 0 else "—"
        met, target = targets(key, results)
        mark = "—" if met is None else ("met" if met else "**missed**")
        out.append(f"| {label} | " + " | ".join(cell(results, n, key) for n in names) + f" | {ratio} | {ratio_ipy} | {target} | {mark} |")
    problems = [(n, results[n]["error"]) for n in names if "error" in results[n]]
    problems += [(n, f) for n in names for f in results[n].get("failures", [])]
    if problems:
        out.append("")
        for n, e in problems:
            out.append(f"- {labels.get(n, n)}: {e if e.startswith('note: ') else 'not measured — ' + e}")
    out.append("")
    out.append(f"Load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (the machine is shared: every figure is wall-clock, "
               "and only ratios of things measured in this run, interleaved, are meaningful). The ratios are peer time / statarb time: "
               "above 1 statarb is faster.")
    out.append("")
    out.append("Starts are fresh processes, interleaved across kernels; every other start is followed at once by the trivial "
               "cell, the others by a completion, so the first-cell and first-completion figures include any warm-up the kernel "
               "still does. The trivial cell is timed from sending execute_request to receiving both execute_reply and the iopub "
               "idle status, on all kernels started together and driven cell by cell in turn. The notebook time includes "
               "nbclient's kernel start and shutdown. Completion after one executed cell (`const alphaSignal = 1;`): "
               "`Math.fl`, `alphaSig`, `[1, 2].inclu` in turn; then the same texts after a first line `const v<i> = <i>;` "
               "(Python: `v<i> = <i>`) that differs every time, so a kernel that keeps what it worked out for a context it "
               "has seen gets no help from it.")
    out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
