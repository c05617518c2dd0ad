/** OctaveSession against the real octave-cli: values both ways, Octave's errors, interrupts, figures. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BridgeCrashError, BridgeError, BridgeTimeoutError } from "../../bridges/core/errors.js";
import { findExecutable, startProcessTransport } from "../../bridges/core/transport.js";
import { isRNAAt, NA, R_NA_REAL } from "../../bridges/core/values.js";
import { OctaveSession } from "../../bridges/octave/session.js";
import { loadDataset, Panel } from "../../lib/data/index.js";
import { Matrix } from "../../lib/stats/index.js";

const hasOctave = findExecutable("octave-cli") !== undefined;
const hasGnuplot = findExecutable("gnuplot") !== undefined;

describe.skipIf(!hasOctave)(hasOctave ? "OctaveSession" : "OctaveSession (skipped: no octave-cli)", () => {
  const o = new OctaveSession();
  afterAll(() => o.close());

  it("evaluates with Octave's own display, streams stdout, returns ans", async () => {
    const chunks: string[] = [];
    const res = await o.eval("x = [1 2 3]\ndisp(sum(x)); warning('careful'); x * 2;\n7", { onStdout: (t) => chunks.push(t) });
    expect(res.stdout).toBe("x =\n\n   1   2   3\n\n6\nans = 7\n");
    expect(chunks.join("")).toBe(res.stdout);
    expect(res.stderr).toBe("warning: careful\n");
    expect(res.value).toBe(7);
    expect((await o.eval("y = 3;")).value).toBeUndefined();
  });

  it("maps R's NA to Octave's NA (isna) and back, keeping NaN and Inf", async () => {
    await o.put("f", Float64Array.of(1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, R_NA_REAL));
    expect((await o.eval("[isna(f)', isnan(f)']")).value).toEqual([false, false, false, false, true, false, true, false, false, true]);
    const g = (await o.get("f")) as Float64Array;
    expect(Array.from(g.slice(0, 4))).toEqual([1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(isRNAAt(g, 4)).toBe(true);
    expect(isRNAAt(g, 1)).toBe(false);
    expect((await o.eval("NA")).value).toBe(NA);
  });

  it("missing strings stay missing both ways (NA in the cell, never \"\"), and complex values are refused with a clear error", async () => {
    await o.eval("kept = 42;");
    await o.put("ms", ["a", null, "c"]);
    expect((await o.eval("{class(ms{2}), isna(ms{2}), ms{1}}")).value).toEqual(["double", true, "a"]);
    expect(await o.get("ms")).toEqual(["a", null, "c"]);
    expect((await o.eval("{'x', NA}")).value).toEqual(["x", null]);
    const e = (await o.eval("z = [1+2i, 3];\n[1+2i, 3]").catch((x: unknown) => x)) as BridgeError;
    expect(e).toBeInstanceOf(BridgeError);
    expect(e.kind).toBe("statarb:complex");
    expect(e.message).toBe("error: statarb Octave bridge: cannot move a complex value ([1 2] double) to TypeScript: the bridge carries real numbers only; move real(x) and imag(x) separately");
    await expect(o.get("z")).rejects.toThrow(/cannot move a complex value/);
    await o.eval("s2.c = 1i; s2.ok = 1;");
    await expect(o.get("s2")).rejects.toThrow(/cannot move a complex value \(\[1 1\] double\)/);
    expect((await o.eval("kept")).value).toBe(42);
  });

  it("moves structs, cells, strings, logicals, int32 and matrices", async () => {
    await o.put("s", { a: 1, b: "text", c: [true, false], d: ["x", "y"], i: Int32Array.of(4, 5), m: new Matrix(2, 3, Float64Array.of(1, 2, 3, 4, 5, 6)), l: [1, "z"] });
    expect((await o.eval("{class(s.a), class(s.b), class(s.c), class(s.d), class(s.i), mat2str(size(s.m)), class(s.l)}")).value).toEqual(["double", "char", "logical", "cell", "int32", "[2 3]", "cell"]);
    expect((await o.eval("s.m(2, 3)")).value).toBe(6);
    const back = (await o.get("s")) as Record<string, unknown>;
    expect(back.b).toBe("text");
    expect(back.c).toEqual([true, false]);
    expect(back.d).toEqual(["x", "y"]);
    expect(back.i).toEqual(Int32Array.of(4, 5));
    expect((back.m as Matrix).data).toEqual(Float64Array.of(1, 2, 3, 4, 5, 6));
    expect(back.l).toEqual([1, "z"]);
  });

  it("a Panel becomes values + datenum dates + asset names and comes back exactly", async () => {
    const p = (await loadDataset("dowjones30")).sliceRows(0, 400);
    await o.put("p", p);
    expect((await o.eval("{datestr(p.dates(1), 'yyyy-mm-dd'), mat2str(size(p.values)), p.assets{1}}")).value).toEqual([p.dateStrings()[0], "[400 30]", p.assets[0]]);
    const back = (await o.get("p")) as Panel;
    expect(back.assets).toEqual(p.assets);
    expect(back.dates).toEqual(p.dates);
    expect(back.toMatrix()).toEqual(p.toMatrix());
  });

  it("Octave's own error messages come back as OctaveError", async () => {
    const e = await o.eval("undefined_thing + 1").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BridgeError);
    expect((e as Error).name).toBe("OctaveError");
    expect((e as Error).message).toMatch(/^error: 'undefined_thing' undefined/);
    await expect(o.eval("1 +* 2")).rejects.toThrow(/parse error/);
    const e2 = (await o.eval("error('my:id', 'bad value %d', 3)").catch((x: unknown) => x)) as BridgeError;
    expect(e2.message).toBe("error: bad value 3");
    expect(e2.kind).toBe("my:id");
  });

  it("an endless loop times out, is interrupted, and the workspace survives", async () => {
    await o.eval("kept = 42;");
    const e = await o.eval("while true; end", { timeoutMs: 300 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BridgeTimeoutError);
    expect((e as BridgeTimeoutError).restarted).toBe(false);
    expect((await o.eval("kept")).value).toBe(42);
  });

  it("code that reads the keyboard or stdin gets a clear error at once (never the protocol), and the workspace survives", async () => {
    await o.eval("kept = 42;");
    const why = "interactive input is not supported in a bridge cell (Octave's stdin is empty); pass values as variables instead: %%octave -i x, %put x --to octave, or OctaveSession.put()";
    const reads: [string, string][] = [
      ["x = input('how many? ')", "input"],
      ["s = input('name? ', 's');", "input"],
      ["keyboard", "keyboard"],
      ["yes_or_no('ok? ')", "yes_or_no"],
      ["pause()", "pause"],
      ["kbhit()", "kbhit"],
      ["n = scanf('%d')", "scanf"],
      ["l = fgetl(stdin)", "fgetl (stdin)"],
      ["l = fgets(stdin);", "fgets (stdin)"],
      ["b = fread(stdin)", "fread (stdin)"],
      ["v = fscanf(stdin, '%f')", "fscanf (stdin)"],
    ];
    for (const [code, fname] of reads) {
      const e = (await o.eval(code, { timeoutMs: 20_000 }).catch((x: unknown) => x)) as BridgeError;
      expect(e, code).toBeInstanceOf(BridgeError);
      expect(e.message, code).toBe(`error: ${fname}: ${why}`);
      expect(e.kind, code).toBe("statarb:stdin");
    }
    // files and timed pauses work as before
    const f = join(mkdtempSync(join(tmpdir(), "statarb-ostdin-")), "a.txt");
    const res = await o.eval(`fid = fopen('${f}', 'w'); fprintf(fid, '1 2\\nthree\\n'); fclose(fid); fid = fopen('${f}'); a = fscanf(fid, '%d', 2); fskipl(fid); l = fgetl(fid); fclose(fid); pause(0.01); {a', l}`);
    expect(res.value).toEqual([Float64Array.of(1, 2), "three"]);
    rmSync(join(f, ".."), { recursive: true, force: true });
    expect((await o.eval("kept")).value).toBe(42);
  });

  it("with `table`, a matrix whose display is the last output comes back as a table instead of Octave's printout", async () => {
    const chunks: string[] = [];
    const res = await o.eval("disp('first')\nM = [1/3, NA; NaN, Inf; -Inf, 0.1 + 0.2]", { table: { maxRows: 2 }, onStdout: (c) => chunks.push(c) });
    expect(res.stdout).toBe("first\n");
    expect(chunks.join("")).toBe("first\n");
    const t = res.table!;
    expect([t.kind, t.name, t.nrow, t.ncol, t.rowNames, t.colNames]).toEqual(["matrix", "M", 3, 2, undefined, undefined]);
    const c1 = t.columns[0] as Float64Array;
    const c2 = t.columns[1] as Float64Array;
    expect(c1[0]).toBe(1 / 3);
    expect(Number.isNaN(c1[1]) && !isRNAAt(c1, 1)).toBe(true);
    expect(isRNAAt(c2, 0)).toBe(true);
    expect(c2[1]).toBe(Number.POSITIVE_INFINITY);
    expect(c1.length).toBe(2);
    // ans of a bare expression; a display followed by more output stays text; vectors and scalars stay text
    expect((await o.eval("[1 2; 3 4] * 2", { table: {} })).table?.name).toBe("ans");
    const later = await o.eval("A = magic(3)\ndisp('after')", { table: {} });
    expect([later.table, later.stdout]).toEqual([undefined, "A =\n\n   8   1   6\n   3   5   7\n   4   9   2\n\nafter\n"]);
    const vec = await o.eval("v = [1 2 3]", { table: {} });
    expect([vec.table, vec.stdout]).toEqual([undefined, "v =\n\n   1   2   3\n\n"]);
    // an error after the display: the display is shown as text, and no markers leak
    const e = await o.eval("B = eye(2)\nerror('boom')", { table: {}, onStdout: (c) => chunks.push(c) }).catch((x: unknown) => x);
    expect((e as Error).message).toBe("error: boom");
    expect(chunks.join("")).toBe("first\nB =\n\nDiagonal Matrix\n\n   1   0\n   0   1\n\n");
    // without `table`, Octave's own display, unmarked
    expect((await o.eval("M2 = [1 2; 3 4]")).stdout).toBe("M2 =\n\n   1   2\n   3   4\n\n");
  });

  it("survives repeated interrupts with its workspace (each re-enters the server)", async () => {
    await o.eval("kept = 42;");
    for (let i = 0; i < 4; i++) {
      const e = await o.eval(`k${i} = ${i}; while true; end`, { timeoutMs: 250 }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(BridgeTimeoutError);
      expect((e as BridgeTimeoutError).restarted).toBe(false);
    }
    expect((await o.eval("[kept, k0, k3]")).value).toEqual(Float64Array.of(42, 0, 3));
  });

  it("a SIGINT that lands while no call runs (a late interrupt) does not lose the next call or the workspace", async () => {
    let pid: number | undefined;
    const s = new OctaveSession({ transport: (spec, ev) => {
      const t = startProcessTransport(spec, ev);
      pid = t.pid;
      return t;
    } });
    try {
      await s.eval("kept = 42;");
      process.kill(pid as number, "SIGINT");
      await new Promise((r) => setTimeout(r, 300));
      const res = await s.eval("kept + 1", { timeoutMs: 20_000 });
      expect([res.value, res.restartNotice]).toEqual([43, undefined]);
      expect((await s.eval("kept")).value).toBe(42);
    } finally {
      await s.close();
    }
  });

  it.skipIf(!hasGnuplot)(hasGnuplot ? "prints figures as SVG" : "prints figures as SVG (skipped: no gnuplot)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "statarb-oplots-"));
    try {
      const res = await o.eval("plot(1:10); figure; plot(sin(0:0.1:3));", { plots: { dir, format: "svg" } });
      expect(res.plots).toHaveLength(2);
      expect(readFileSync(res.plots[0] as string, "utf8")).toMatch(/<svg/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exit() is reported as a crash and the next call restarts", async () => {
    await expect(o.eval("exit(3)")).rejects.toThrow(BridgeCrashError);
    const res = await o.eval("exist('kept')");
    expect(res.value).toBe(0);
    expect(res.restartNotice).toMatch(/Octave session restarted/);
  });
});
