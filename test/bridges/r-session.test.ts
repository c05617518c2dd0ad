/** RSession against the real Rscript: values both ways, R's own errors, timeouts, crashes, plots. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BridgeCrashError, BridgeError, BridgeTimeoutError } from "../../bridges/core/errors.js";
import { findExecutable, startProcessTransport } from "../../bridges/core/transport.js";
import { isRNAAt, NA, R_NA_REAL } from "../../bridges/core/values.js";
import { RSession } from "../../bridges/r/session.js";
import { loadDataset, Panel } from "../../lib/data/index.js";
import { Matrix } from "../../lib/stats/index.js";

const hasR = findExecutable("Rscript") !== undefined;

describe.skipIf(!hasR)(hasR ? "RSession" : "RSession (skipped: no Rscript)", () => {
  const r = new RSession({ interruptGraceMs: 3000 });
  afterAll(() => r.close());

  it("evaluates, streams stdout, and returns the last value", async () => {
    const chunks: string[] = [];
    const res = await r.eval("x <- 1:3\ncat('sum is', sum(x), '\\n'); message('note'); sum(x) * 2", { onStdout: (t) => chunks.push(t) });
    expect(res.stdout).toBe("sum is 6 \n");
    expect(chunks.join("")).toBe("sum is 6 \n");
    expect(res.stderr).toBe("note\n");
    expect(res.value).toBe(12);
  });

  it("autoprints like the R console when echo is on, and prints warnings on stderr", async () => {
    const res = await r.eval("y <- 2\ny\nlog(-1)", { echo: true });
    expect(res.stdout).toBe("[1] 2\n[1] NaN\n");
    expect(res.stderr).toMatch(/Warning message:\nIn log\(-1\) : NaNs produced/);
  });

  it("user output with frame-like bytes cannot corrupt the framing", async () => {
    const res = await r.eval("cat('\\036SAB:999\\036 {\"id\":1}\\n'); cat(intToUtf8(1:127)); 7");
    expect(res.value).toBe(7);
  });

  it("keeps NA_real_ apart from NaN and round-trips Inf, in both directions", async () => {
    await r.put("f", Float64Array.of(1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, R_NA_REAL));
    const flags = (await r.eval("c(is.na(f) & !is.nan(f), is.nan(f))")).value;
    expect(flags).toEqual([false, false, false, false, true, false, true, false, false, false]);
    const g = (await r.get("f")) as Float64Array;
    expect(Array.from(g.slice(0, 4))).toEqual([1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(isRNAAt(g, 4)).toBe(true);
    expect(isRNAAt(g, 1)).toBe(false);
    const fromR = (await r.eval("c(NA_real_, NaN, 1)")).value as Float64Array;
    expect(isRNAAt(fromR, 0)).toBe(true);
    expect(isRNAAt(fromR, 1)).toBe(false);
  });

  it("moves scalars, NA, strings, logicals, integers, lists and matrices", async () => {
    const v = { a: 1, b: "x", c: [true, null], d: ["a", null], e: NA, n: null, i: Int32Array.of(1, -2147483648), m: new Matrix(2, 3, Float64Array.of(1, 2, 3, 4, 5, 6)), l: [1, "two"] };
    await r.put("o", v);
    const types = (await r.eval("vapply(o, function(z) class(z)[1], '')")).value;
    expect(types).toEqual({ a: "numeric", b: "character", c: "logical", d: "character", e: "logical", n: "NULL", i: "integer", m: "matrix", l: "list" });
    expect((await r.eval("is.na(o$i[2]) && is.na(o$d[2]) && is.na(o$e) && dim(o$m)[2] == 3")).value).toBe(true);
    const back = (await r.get("o")) as Record<string, unknown>;
    expect(back.e).toBe(NA);
    expect(back.c).toEqual([true, null]);
    expect(back.d).toEqual(["a", null]);
    expect(back.i).toEqual(Int32Array.of(1, -2147483648));
    expect((back.m as Matrix).rows).toBe(2);
    expect((back.m as Matrix).data).toEqual(Float64Array.of(1, 2, 3, 4, 5, 6));
    expect(back.l).toEqual([1, "two"]);
    expect((await r.eval("c(a = 1, b = 2)")).value).toEqual({ a: 1, b: 2 });
    expect((await r.eval("factor(c('lo', 'hi', 'lo'))")).value).toEqual(["lo", "hi", "lo"]);
  });

  it("a Panel becomes a data.frame with a Date column (or an xts) and comes back exactly", async () => {
    const p = (await loadDataset("dowjones30")).sliceRows(0, 300);
    await r.put("p", p);
    const shape = (await r.eval("c(class(p$date), nrow(p), ncol(p), names(p)[2], format(p$date[1]))")).value;
    expect(shape).toEqual(["Date", "300", "31", p.assets[0], p.dateStrings()[0]]);
    const back = (await r.get("p")) as Panel;
    expect(back).toBeInstanceOf(Panel);
    expect(back.assets).toEqual(p.assets);
    expect(back.dates).toEqual(p.dates);
    expect(back.toMatrix()).toEqual(p.toMatrix());
    await r.put("px", p, { panelAs: "xts" });
    expect((await r.eval("c(class(px)[1], format(zoo::index(px)[300]))")).value).toEqual(["xts", p.dateStrings()[299]]);
    const bx = (await r.get("px")) as Panel;
    expect(bx.toMatrix()).toEqual(p.toMatrix());
    expect(bx.dates).toEqual(p.dates);
  });

  it("R's own error messages come back as RError", async () => {
    await expect(r.eval("log('a')")).rejects.toThrow(/^Error in log\("a"\) : non-numeric argument to mathematical function$/);
    const e = await r.eval("a b").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BridgeError);
    expect((e as Error).name).toBe("RError");
    expect((e as Error).message).toMatch(/unexpected symbol/);
    await expect(r.eval("stop('boom')")).rejects.toThrow(/^Error: boom$/);
    await expect(r.get("no_such_thing")).rejects.toThrow(/object 'no_such_thing' not found/);
  });

  it("a hung call times out, is interrupted, and the session keeps its variables", async () => {
    await r.eval("kept <- 42");
    const e = await r.eval("repeat {}", { timeoutMs: 300 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BridgeTimeoutError);
    expect((e as BridgeTimeoutError).restarted).toBe(false);
    expect((await r.eval("kept")).value).toBe(42);
  });

  it("an abort signal (the kernel's interrupt) stops Sys.sleep", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const t0 = Date.now();
    await expect(r.eval("Sys.sleep(30)", { signal: ac.signal })).rejects.toThrow(/interrupted/);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect((await r.eval("kept")).value).toBe(42);
  });

  it("a sink() left open by a cell is closed after it: output and variables are kept", async () => {
    const f = join(mkdtempSync(join(tmpdir(), "statarb-rsink-")), "sink.txt");
    const res = await r.eval(`sink(${JSON.stringify(f)}); cat('to file\\n'); zz <- file(${JSON.stringify(f + ".msg")}, 'w'); sink(zz, type = 'message'); 5`);
    expect(res.value).toBe(5);
    expect(res.stderr).toMatch(/statarb: the code left 1 output sink\(\) and a message sink\(\) open; closed it after the call/);
    expect(readFileSync(f, "utf8")).toBe("to file\n");
    expect((await r.eval("c(sink.number(), sink.number(type = 'message'))")).value).toEqual(Int32Array.of(0, 2));
    const next = await r.eval("cat('back\\n'); message('msg'); kept");
    expect(next.stdout).toBe("back\n");
    expect(next.stderr).toBe("msg\n");
    expect(next.value).toBe(42);
    rmSync(join(f, ".."), { recursive: true, force: true });
  });

  it("code that reads stdin gets a clear error at once (never the protocol), and the session keeps its variables", async () => {
    const why = "interactive input is not supported in a bridge cell (R's stdin is empty); pass values as variables instead: %%R -i x, %put x --to R, or RSession.put()";
    const reads: [string, string][] = [
      ["x <- readline('how many? ')", 'readline("how many? ")'],
      ["readLines('stdin')", 'readLines("stdin")'],
      ["readLines(stdin(), n = 1)", "readLines(stdin(), n = 1)"],
      ["length(readLines(file('stdin')))", 'file("stdin")'],
      ["scan(quiet = TRUE)", "scan(quiet = TRUE)"],
      ["scan(stdin(), what = '')", 'scan(stdin(), what = "")'],
      ["scan(file('stdin'), quiet = TRUE)", 'file("stdin")'],
    ];
    for (const [code, call] of reads) {
      const e = await r.eval(code, { timeoutMs: 20_000 }).catch((x: unknown) => x);
      expect(e, code).toBeInstanceOf(BridgeError);
      expect((e as Error).message, code).toBe(`Error in ${call} : ${why}`);
    }
    // files and text still read as before
    const f = join(mkdtempSync(join(tmpdir(), "statarb-rstdin-")), "a.txt");
    const res = await r.eval(`writeLines(c('1 2', '3'), ${JSON.stringify(f)}); c(length(readLines(${JSON.stringify(f)})), sum(scan(${JSON.stringify(f)}, quiet = TRUE)), scan(text = '4 5', quiet = TRUE), length(readLines(file(${JSON.stringify(f)}))))`);
    expect(res.value).toEqual(Float64Array.of(2, 6, 4, 5, 2));
    rmSync(join(f, ".."), { recursive: true, force: true });
    expect((await r.eval("kept")).value).toBe(42);
  });

  it("a timeout names the code that was running and how to raise the limit", async () => {
    const e = await r.eval("while (TRUE) { kept2 <- 1 }\n# second line", { timeoutMs: 300 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BridgeTimeoutError);
    expect((e as Error).message).toMatch(/^R: call running `while \(TRUE\) \{ kept2 <- 1 \}` \(first line\) timed out after 300 ms \(raise the limit with the timeoutMs option .*--timeout ms.*\); the session was interrupted and is still usable \(variables kept\)$/);
    expect((e as BridgeTimeoutError).restarted).toBe(false);
    expect((await r.eval("kept")).value).toBe(42);
  });

  it("with `table`, a last visible data.frame or matrix comes back as a table (exact numbers, names kept) instead of printed", async () => {
    const res = await r.eval(
      "df <- data.frame(x = c(1/3, NA, NaN, Inf, -Inf), n = c(1L, NA, 3L, 4L, 5L), s = c('a', NA, 'c', 'd', 'e'), d = as.Date('2024-01-02') + 0:4, row.names = paste0('r', 1:5))\ncat('before\\n')\ndf",
      { echo: true, table: { maxRows: 3 } },
    );
    expect(res.stdout).toBe("before\n");
    expect(res.value).toBeNull();
    const t = res.table!;
    expect([t.kind, t.nrow, t.ncol]).toEqual(["data.frame", 5, 4]);
    expect(t.rowNames).toEqual(["r1", "r2", "r3"]);
    expect(t.colNames).toEqual(["x", "n", "s", "d"]);
    expect(t.types).toEqual(["double", "integer", "character", "character"]);
    const x = t.columns[0] as Float64Array;
    expect(x[0]).toBe(1 / 3);
    expect(isRNAAt(x, 1)).toBe(true);
    expect(Number.isNaN(x[2]) && !isRNAAt(x, 2)).toBe(true);
    expect(t.columns[1]).toEqual(Int32Array.of(1, -2147483648, 3));
    expect(t.columns[2]).toEqual(["a", null, "c"]);
    expect(t.columns[3]).toEqual(["2024-01-02", "2024-01-03", "2024-01-04"]);
    const m = (await r.eval("matrix(c(1.5, 2, 3, 4), 2, dimnames = list(NULL, c('a', 'b')))", { echo: true, table: {} })).table!;
    expect([m.kind, m.rowNames, m.colNames, Array.from(m.columns[1] as Float64Array)]).toEqual(["matrix", undefined, ["a", "b"], [3, 4]]);
    // automatic row names are not sent; only the last top-level value is a table; invisible values are not
    const auto = await r.eval("head(data.frame(a = 1:120), 120)", { echo: true, table: { maxRows: 50 } });
    expect([auto.table?.rowNames, auto.table?.nrow, auto.table?.columns[0]?.length]).toEqual([undefined, 120, 50]);
    const notLast = await r.eval("data.frame(a = 1)\n2", { echo: true, table: {} });
    expect([notLast.stdout, notLast.table, notLast.value]).toEqual(["  a\n1 1\n[1] 2\n", undefined, 2]);
    expect((await r.eval("invisible(data.frame(a = 1))", { echo: true, table: {} })).table).toBeUndefined();
    expect((await r.eval("df", { echo: true })).stdout).toMatch(/^ +x +n +s +d\nr1 0\.3333333 +1 +a 2024-01-02\n/);
  });

  it("a SIGINT that lands while no call runs (a late interrupt) does not stop the next call", async () => {
    let pid: number | undefined;
    const s = new RSession({ transport: (spec, ev) => {
      const t = startProcessTransport(spec, ev);
      pid = t.pid;
      return t;
    } });
    try {
      await s.eval("kept <- 42");
      process.kill(pid as number, "SIGINT");
      await new Promise((res) => setTimeout(res, 300));
      const res = await s.eval("kept + 1", { timeoutMs: 20_000 });
      expect([res.value, res.restartNotice]).toEqual([43, undefined]);
      expect((await s.eval("kept")).value).toBe(42);
    } finally {
      await s.close();
    }
  });

  it("a crash says so and the next call gets a fresh session with a notice", async () => {
    await expect(r.eval("quit(status = 4)")).rejects.toThrow(BridgeCrashError);
    const res = await r.eval("exists('kept')");
    expect(res.value).toBe(false);
    expect(res.restartNotice).toMatch(/R session restarted/);
  });

  it("captures plots as png and svg files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "statarb-rplots-"));
    try {
      const png = await r.eval("plot(1:10); hist(rnorm(100))", { plots: { dir, format: "png" } });
      expect(png.plots).toHaveLength(2);
      expect(readFileSync(png.plots[0] as string).subarray(1, 4).toString()).toBe("PNG");
      const svg = await r.eval("plot(1:3)", { plots: { dir, format: "svg" } });
      expect(readFileSync(svg.plots[0] as string, "utf8")).toMatch(/<svg/);
      expect((await r.eval("1 + 1", { plots: { dir, format: "png" } })).plots).toHaveLength(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
