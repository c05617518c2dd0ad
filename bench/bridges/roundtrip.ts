/**
 * Bridge speed: a 2,520 × 500 Panel TS → R → TS and TS → Octave → TS through the binary bridge,
 * side by side with the CSV route SoS/R users take (write a CSV, read.csv / csvread it, write it back,
 * parse it), and the warm round trip of a trivial %%R cell. Writes bench/results/bridges.md.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { type BridgeMagicContext, bridgeMagics } from "../../bridges/magics.js";
import { OctaveSession } from "../../bridges/octave/session.js";
import { RSession } from "../../bridges/r/session.js";
import { Panel, parsePanelCSV } from "../../lib/data/index.js";
import { lead, loadNow, writeRows } from "../rows.js";

const N_DATES = 2520;
const N_ASSETS = 500;
const REPS = Number(process.env.BENCH_REPS ?? 9);

function makePanel(): Panel {
  let s = 12345;
  const u = (): number => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
  const dates = new Int32Array(N_DATES);
  for (let i = 0; i < N_DATES; i++) dates[i] = 14610 + i;
  const cols = Array.from({ length: N_ASSETS }, (_, j) => {
    const c = new Float64Array(N_DATES);
    let p = 100;
    for (let i = 0; i < N_DATES; i++) {
      p *= 1 + (u() - 0.5) * 0.04;
      c[i] = p;
    }
    if (j % 50 === 0) c[j % N_DATES] = Number.NaN;
    return c;
  });
  return new Panel(dates, Array.from({ length: N_ASSETS }, (_, j) => `A${String(j).padStart(3, "0")}`), cols);
}

function identical(a: Panel, b: Panel): boolean {
  if (a.assets.join() !== b.assets.join()) return false;
  if (Buffer.compare(Buffer.from(a.dates.buffer, a.dates.byteOffset, a.dates.byteLength), Buffer.from(b.dates.buffer, b.dates.byteOffset, b.dates.byteLength)) !== 0) return false;
  const x = a.toMatrix();
  const y = b.toMatrix();
  return Buffer.compare(Buffer.from(x.buffer), Buffer.from(y.buffer)) === 0;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

async function time(reps: number, fn: () => Promise<void>): Promise<number> {
  await fn(); // warm
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

function panelToCSV(p: Panel): string {
  const lines = [["date", ...p.assets].join(",")];
  const ds = p.dateStrings();
  for (let i = 0; i < p.nDates; i++) {
    let line = ds[i] as string;
    for (let j = 0; j < p.nAssets; j++) {
      const v = (p.columns[j] as Float64Array)[i] as number;
      line += `,${Number.isNaN(v) ? "NA" : String(v)}`;
    }
    lines.push(line);
  }
  return lines.join("\n") + "\n";
}

async function main(): Promise<void> {
  const p = makePanel();
  const dir = mkdtempSync(join(tmpdir(), "statarb-bench-"));
  const rows: string[] = [];
  try {
    const r = new RSession();
    await r.start();
    let back: Panel | undefined;
    const rBinary = await time(REPS, async () => {
      await r.put("p", p);
      back = (await r.get("p")) as Panel;
    });
    const rExact = back !== undefined && identical(p, back);
    const csvIn = join(dir, "in.csv");
    const csvOut = join(dir, "out.csv");
    const rCsv = await time(Math.min(REPS, 3), async () => {
      writeFileSync(csvIn, panelToCSV(p));
      await r.eval(`p <- read.csv(${JSON.stringify(csvIn)}, check.names = FALSE); p$date <- as.Date(p$date); write.csv(p, ${JSON.stringify(csvOut)}, row.names = FALSE)`);
      back = parsePanelCSV(readFileSync(csvOut, "utf8").replace(/"/g, ""), { source: "bench" });
    });
    const rCsvExact = back !== undefined && identical(p, back);
    await r.close();

    const o = new OctaveSession();
    await o.start();
    const oBinary = await time(REPS, async () => {
      await o.put("p", p);
      back = (await o.get("p")) as Panel;
    });
    const oExact = back !== undefined && identical(p, back);
    const numIn = join(dir, "in.num.csv");
    const numOut = join(dir, "out.num.csv");
    const oCsv = await time(Math.min(REPS, 3), async () => {
      // Octave's csvread/csvwrite carry numbers only: dates go as a first column of epoch days
      const lines: string[] = [];
      for (let i = 0; i < p.nDates; i++) {
        let line = String(p.dates[i]);
        for (let j = 0; j < p.nAssets; j++) line += `,${String((p.columns[j] as Float64Array)[i])}`;
        lines.push(line);
      }
      writeFileSync(numIn, lines.join("\n") + "\n");
      await o.eval(`m = csvread(${JSON.stringify(numIn).replace(/"/g, "'")}); csvwrite(${JSON.stringify(numOut).replace(/"/g, "'")}, m);`);
      const text = readFileSync(numOut, "utf8").trim().split("\n");
      const dates = new Int32Array(text.length);
      const cols = Array.from({ length: p.nAssets }, () => new Float64Array(text.length));
      text.forEach((line, i) => {
        const f = line.split(",");
        dates[i] = Number(f[0]);
        for (let j = 0; j < p.nAssets; j++) (cols[j] as Float64Array)[i] = Number(f[j + 1]);
      });
      back = new Panel(dates, p.assets, cols);
    });
    const oCsvExact = back !== undefined && identical(p, back);
    await o.close();

    const m = bridgeMagics();
    const cell = m.cell.find((c) => c.name === "R")!;
    const ctx: BridgeMagicContext = { stdout: () => undefined, stderr: () => undefined, display: () => undefined, getVariable: () => undefined, setVariable: () => undefined, signal: new AbortController().signal, cwd: process.cwd() };
    await cell.run("", "x <- 1", ctx);
    const trivial: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now();
      await cell.run("", "1 + 1", ctx);
      trivial.push(performance.now() - t0);
    }
    const rEval = new RSession();
    await rEval.eval("1");
    const evals: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now();
      await rEval.eval("1 + 1");
      evals.push(performance.now() - t0);
    }
    await rEval.close();
    await m.sessions.closeAll();

    const rVer = execFileSync("Rscript", ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim() || "R";
    const oVer = execFileSync("octave-cli", ["--version"], { encoding: "utf8" }).split("\n")[0];
    const f = (x: number): string => x.toFixed(1);
    rows.push(
      "# bridges benchmark",
      "",
      `Machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}, ${oVer}, R (${rVer.split("\n")[0] || "Rscript"}); load average at the end of the run ${loadavg().map((x) => x.toFixed(1)).join(" / ")} (the machine is shared: numbers move with it).`,
      "Command: `bash bench/bridges/run.sh` (= `npx tsx bench/bridges/roundtrip.ts`); median of " + REPS + " warm repetitions (CSV: 3).",
      `Data: a ${N_DATES} × ${N_ASSETS} Panel of float64 prices with NaNs (${((N_DATES * N_ASSETS * 8) / 1e6).toFixed(1)} MB).`,
      "",
      "| round trip | statarb binary bridge (ms) | CSV route (ms) | CSV / binary | exact after the round trip (binary / CSV) |",
      "| --- | ---: | ---: | ---: | --- |",
      `| TS → R → TS (put + get; CSV: write, read.csv, write.csv, parse) | ${f(rBinary)} | ${f(rCsv)} | ${(rCsv / rBinary).toFixed(1)}× | ${rExact ? "yes" : "NO"} / ${rCsvExact ? "yes" : "no"} |`,
      `| TS → Octave → TS (put + get; CSV: write, csvread, csvwrite, parse) | ${f(oBinary)} | ${f(oCsv)} | ${(oCsv / oBinary).toFixed(1)}× | ${oExact ? "yes" : "NO"} / ${oCsvExact ? "yes" : "no"} |`,
      "",
      `Targets: each binary round trip < 200 ms and bit-exact (NaN, dates, names included): R ${rBinary < 200 && rExact ? "met" : "**missed**"} (${f(rBinary)} ms, exact ${rExact ? "yes" : "NO"}), Octave ${oBinary < 200 && oExact ? "met" : "**missed**"} (${f(oBinary)} ms, exact ${oExact ? "yes" : "NO"}). The CSV routes are not exact:`,
      "write.csv keeps 15 significant digits and csvwrite fewer, and Octave's CSV carries no names or dates (they went as a",
      "first column of epoch days and the names were re-attached in TypeScript, which the CSV timing leaves out).",
      "",
      "| trivial cell | median (ms) | p90 (ms) |",
      "| --- | ---: | ---: |",
      `| \`%%R\` cell \`1 + 1\` through the magic (warm, incl. the png device per cell) | ${f(median(trivial))} | ${f([...trivial].sort((a, b) => a - b)[44] as number)} |`,
      `| \`RSession.eval("1 + 1")\` (warm) | ${f(median(evals))} | ${f([...evals].sort((a, b) => a - b)[44] as number)} |`,
      "",
      `Target: a trivial \`%%R\` cell round trip < 20 ms warm: ${median(trivial) < 20 ? "met" : "**missed**"} (median ${f(median(trivial))} ms).`,
      "",
    );
    writeFileSync(join(process.cwd(), "bench/results/bridges.md"), rows.join("\n"));
    const load = loadNow();
    const trip = (row: string, ms: number, csv: number, exact: boolean) =>
      ({ row, statarb: ms, peer: csv, peerName: "CSV route", ratio: lead(ms, csv, "time"), unit: "ms", target: "< 200 ms, bit-exact", verdict: ms < 200 && exact ? "met" : "missed", load, ...(exact ? {} : { note: "not bit-exact" }) }) as const;
    writeRows("bridges", [
      trip("TS → R → TS round trip (2520 × 500 Panel)", rBinary, rCsv, rExact),
      trip("TS → Octave → TS round trip (2520 × 500 Panel)", oBinary, oCsv, oExact),
      { row: "trivial %%R cell, warm (median)", statarb: median(trivial), peer: null, ratio: null, unit: "ms", target: "< 20 ms", verdict: median(trivial) < 20 ? "met" : "missed", load },
    ], { command: "bash bench/bridges/run.sh" });
    console.log(rows.join("\n"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
