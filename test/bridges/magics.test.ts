/**
 * The bridge magics against the real R and Octave, driven through a context double shaped like the
 * kernel's MagicContext: cells run in persistent sessions, output streams, plots come back as
 * displays, -i/-o and %put/%get move variables, and the other language's error is the cell's error.
 */
import { afterAll, describe, expect, it } from "vitest";
import { findExecutable } from "../../bridges/core/transport.js";
import { type BridgeMagicContext, bridgeMagics, parseCellArgs } from "../../bridges/magics.js";
import { Panel } from "../../lib/data/index.js";

const hasR = findExecutable("Rscript") !== undefined;
const hasOctave = findExecutable("octave-cli") !== undefined;

function context(vars: Record<string, unknown> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const displays: Record<string, unknown>[] = [];
  const ac = new AbortController();
  const ctx: BridgeMagicContext = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    display: (b) => displays.push(b),
    getVariable: (n) => vars[n],
    setVariable: (n, v) => {
      vars[n] = v;
    },
    signal: ac.signal,
    cwd: process.cwd(),
  };
  return { ctx, out, err, displays, vars, abort: () => ac.abort() };
}

describe("magic arguments", () => {
  it("parses -i/-o/--timeout/-w/-h/--svg and names bad options", () => {
    expect(parseCellArgs("-i x,y -o z --timeout 500 -w 800 -h 600 --svg", "R")).toMatchObject({ inputs: ["x", "y"], outputs: ["z"], timeoutMs: 500, width: 800, height: 600, format: "svg" });
    expect(() => parseCellArgs("--bogus", "R")).toThrow(/unknown option "--bogus"; usage: %%R/);
    expect(() => parseCellArgs("-w wide", "octave")).toThrow(/-w needs a positive number/);
  });

  it("registers %%R, %%octave, %%q, %put and %get", () => {
    const m = bridgeMagics();
    expect(m.cell.map((c) => c.name)).toEqual(["R", "octave", "q"]);
    expect(m.line.map((c) => c.name)).toEqual(["put", "get"]);
  });
});

describe.skipIf(!hasR)(hasR ? "%%R" : "%%R (skipped: no Rscript)", () => {
  const m = bridgeMagics();
  const R = m.cell.find((c) => c.name === "R")!;
  const put = m.line.find((c) => c.name === "put")!;
  const get = m.line.find((c) => c.name === "get")!;
  afterAll(() => m.sessions.closeAll());

  it("runs cells in one persistent session with R's console printing", async () => {
    const a = context();
    await R.run("", "x <- c(1, 2, 3)\nmean(x)", a.ctx);
    expect(a.out.join("")).toBe("[1] 2\n");
    const b = context();
    await R.run("", "x * 10", b.ctx);
    expect(b.out.join("")).toBe("[1] 10 20 30\n");
  });

  it("-i and -o move variables around the cell, a Panel included", async () => {
    const p = Panel.fromColumns(["2024-01-02", "2024-01-03"], { A: [1, 2], B: [3, 4] });
    const c = context({ p, k: 2 });
    await R.run("-i p,k -o s", "s <- colSums(p[-1]) * k", c.ctx);
    expect(c.vars.s).toEqual({ A: 6, B: 14 });
  });

  it("%put / %get", async () => {
    const c = context({ w: Float64Array.of(0.25, 0.75) });
    await put.run("w --to R", c.ctx);
    await R.run("", "w2 <- rev(w)", c.ctx);
    await get.run("w2 --from R", c.ctx);
    expect(c.vars.w2).toEqual(Float64Array.of(0.75, 0.25));
    await expect(put.run("w --to matlab2", c.ctx)).rejects.toThrow(/unknown language "matlab2"/);
    await expect(put.run("nothing --to R", c.ctx)).rejects.toThrow(/no TypeScript variable nothing/);
  });

  it("plots come back as image/png displays", async () => {
    const c = context();
    await R.run("-w 320 -h 240", "plot(cumsum(rnorm(50)), type = 'l')", c.ctx);
    expect(c.displays).toHaveLength(1);
    const png = Buffer.from(c.displays[0]!["image/png"] as string, "base64");
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(png.readUInt32BE(16)).toBe(320);
  });

  it("R's error is the cell's error, and the session survives", async () => {
    const c = context();
    const e = await R.run("", "stop('bad input: ', 42)", c.ctx).catch((x: unknown) => x);
    expect((e as Error).name).toBe("RError");
    expect((e as Error).message).toBe("Error: bad input: 42");
    await R.run("", "cat(exists('x'))", c.ctx);
    expect(c.out.join("")).toBe("TRUE");
  });

  it("a last data.frame is the cell's result, an HTML table with a text/plain twin, and R does not print it", async () => {
    const c = context();
    const v = await R.run("", "cat('head:\\n')\nhead(mtcars, 60)", c.ctx);
    expect(c.out.join("")).toBe("head:\n");
    const bundle = (v as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]!();
    expect(bundle["text/html"]).toContain("<th>Mazda RX4</th>");
    expect(bundle["text/html"]).toContain('<td style="text-align: right;">22.8</td>');
    expect(bundle["text/html"]).toMatch(/<p>R data\.frame: 32 rows × 11 columns<\/p>/);
    expect(bundle["text/plain"]!.split("\n")[0]).toMatch(/^ +mpg cyl +disp +hp +drat +wt +qsec vs am gear carb$/);
    expect(await R.run("", "xx <- data.frame(a = 1)", context().ctx)).toBeUndefined();
  });

  it("an interrupt stops an endless loop and the session stays usable", async () => {
    const c = context();
    setTimeout(() => c.abort(), 300);
    await expect(R.run("", "while (TRUE) {}", c.ctx)).rejects.toThrow(/interrupted/);
    const d = context();
    await R.run("", "cat(length(x))", d.ctx);
    expect(d.out.join("")).toBe("3");
  });
});

describe.skipIf(!hasOctave)(hasOctave ? "%%octave" : "%%octave (skipped: no octave-cli)", () => {
  const m = bridgeMagics();
  const oct = m.cell.find((c) => c.name === "octave")!;
  const get = m.line.find((c) => c.name === "get")!;
  afterAll(() => m.sessions.closeAll());

  it("runs cells, keeps state, moves variables, returns figures as SVG", async () => {
    const c = context({ v: Float64Array.of(1, 2, 3) });
    await oct.run("-i v", "y = v' * 2", c.ctx);
    expect(c.out.join("")).toBe("y =\n\n   2   4   6\n\n");
    await get.run("y --from octave", c.ctx);
    expect(c.vars.y).toBeDefined();
    if (findExecutable("gnuplot")) {
      const d = context();
      await oct.run("", "plot(1:5);", d.ctx);
      expect(d.displays).toHaveLength(1);
      expect(d.displays[0]!["image/svg+xml"]).toMatch(/<svg/);
    }
    const t = context();
    const m = await oct.run("", "M = reshape(1:120, 60, 2)", t.ctx);
    expect(t.out.join("")).toBe("");
    const bundle = (m as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]!();
    expect(bundle["text/html"]).toMatch(/<p>… 10 more rows; M: Octave matrix: 60 rows × 2 columns<\/p>/);
    expect(bundle["text/plain"]!.split("\n").slice(0, 2)).toEqual(["    1   2", "1   1  61"]);
    const e = await oct.run("", "y(10)", context().ctx).catch((x: unknown) => x);
    expect((e as Error).name).toBe("OctaveError");
    expect((e as Error).message).toMatch(/out of bound|index \(10\)/);
  });
});
