/**
 * bench/rows.ts (the rows a bench records), bench/rows-print.ts (the per-row summary) and scripts/bench's
 * gather (RESULTS.md from bench/results/, failed areas marked, notes appended) — on fixtures, no timings.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatRows } from "../../bench/rows-print.js";
import { lead, readRows, ROOT, writeRows, type BenchRow } from "../../bench/rows.js";

const tmp = mkdtempSync(join(tmpdir(), "statarb-bench-rows-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const row = (over: Partial<BenchRow> = {}): BenchRow => ({
  row: "ols HAC",
  statarb: 1.8,
  peer: 1.07,
  peerName: "statsmodels",
  ratio: lead(1.8, 1.07, "time"),
  unit: "ms",
  target: "≥ 1×",
  verdict: "missed",
  load: "8.82 9.15 8.47",
  ...over,
});

describe("bench/rows", () => {
  it("lead is statarb's lead in both directions: above 1 = statarb ahead", () => {
    expect(lead(1, 2, "time")).toBe(2); // statarb takes half the peer's time
    expect(lead(2, 1, "rate")).toBe(2); // statarb does twice the peer's rate
    expect(lead(2, 1, "time")).toBe(0.5);
    expect(() => lead(0, 1, "time")).toThrow(/statarb must be a finite number > 0, got 0/);
    expect(() => lead(1, 1, "speed" as "time")).toThrow(/kind must be "time" or "rate"/);
  });

  it("writes atomically and reads back what was written", () => {
    const dir = join(tmp, "rt");
    const path = writeRows("stats", [row(), row({ row: "eigh", verdict: "info", target: null, cpu: { statarb: 1, peer: 2, ratio: 2 } })], { dir, command: "x" });
    expect(path).toBe(join(dir, "stats.rows.json"));
    writeRows("signals", [row({ peer: null, ratio: null, peerName: undefined, target: "≤ 5 ms", verdict: "met" })], { dir, part: "pca" });
    expect(readdirSync(dir).sort()).toEqual(["signals.pca.rows.json", "stats.rows.json"]); // no temporary left
    const files = readRows(dir);
    expect(files.map((f) => [f.area, f.part])).toEqual([["signals", "pca"], ["stats", undefined]]);
    expect(files[1]!.rows[0]).toEqual({ area: "stats", ...row() });
    expect(files[1]!.command).toBe("x");
  });

  it("refuses a bad row, naming it, and leaves the previous file whole", () => {
    const dir = join(tmp, "bad");
    writeRows("engine", [row()], { dir });
    const before = readFileSync(join(dir, "engine.rows.json"), "utf8");
    expect(() => writeRows("engine", [row(), row({ verdict: "ok" as "met" })], { dir })).toThrow(/row 1 \("ols HAC"\)\.verdict must be one of met, missed, info, got "ok"/);
    expect(() => writeRows("engine", [row({ ratio: Number.NaN })], { dir })).toThrow(/ratio must be a finite number or null, got null/);
    expect(() => writeRows("engine", [{ ...row(), speed: 1 } as BenchRow], { dir })).toThrow(/unknown field "speed"/);
    expect(() => writeRows("Engine!", [row()], { dir })).toThrow(/area must match/);
    expect(readFileSync(join(dir, "engine.rows.json"), "utf8")).toBe(before);
    expect(readdirSync(dir)).toEqual(["engine.rows.json"]);
  });

  it("bench/rows.py writes the same schema", () => {
    const dir = join(tmp, "py");
    const py = existsSync(join(ROOT, ".venv/bin/python")) ? join(ROOT, ".venv/bin/python") : "python3";
    const script = `import sys; sys.path.insert(0, ${JSON.stringify(join(ROOT, "bench"))}); import rows
rows.write_rows("kernel", [dict(row="start", statarb=432.0, peer=341.0, peerName="ipykernel", ratio=rows.lead(432.0, 341.0, "time"), unit="ms", target="≤ 1 s", verdict="met", load=rows.load_now(), note="target on statarb alone")], directory=${JSON.stringify(dir)})
try:
    rows.write_rows("kernel", [dict(row="x", statarb=1, peer=None, ratio=None, unit="ms", target=None, verdict="fine", load="1")], directory=${JSON.stringify(dir)})
except TypeError as e:
    print(e)`;
    const out = execFileSync(py, ["-c", script], { encoding: "utf8" });
    expect(out).toMatch(/row 0 \('x'\)\.verdict must be one of met, missed, info, got 'fine'/);
    const [f] = readRows(dir);
    expect(f!.area).toBe("kernel");
    expect(f!.rows).toHaveLength(1);
    expect(f!.rows[0]!.ratio).toBeCloseTo(341 / 432, 12);
    expect(f!.written).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("prints one aligned line per row with the counts; failed and stale areas marked", () => {
    const dir = join(tmp, "print");
    writeRows("stats", [row(), row({ row: "adf", statarb: 88.7, peer: 348, ratio: 3.93, verdict: "met", cpu: { statarb: 66.5, peer: 332, ratio: 4.99 } })], { dir });
    writeRows("engine", [row({ row: "insert stream", unit: "M/s", statarb: 13.4, peer: 5.8, ratio: 2.32, verdict: "met" })], { dir });
    writeRows("kernel", [row({ row: "trivial cell", verdict: "info", target: null })], { dir });
    const lines = formatRows(readRows(dir), { areas: ["engine", "kernel", "stats", "ticks"], ran: ["stats", "kernel"], failed: ["stats"], since: "2999-01-01T00:00:00.000Z" });
    expect(lines).toHaveLength(2 + 4 + 1);
    const table = lines.slice(0, 6);
    // aligned: every cell starts where its header starts, after the two-space separator
    const header = table[0]!;
    for (const name of ["row", "statarb", "peer", "ratio", "target", "verdict"]) {
      const at = header.indexOf(name);
      for (const l of table.slice(2)) expect(l.slice(at - 2, at)).toBe("  ");
    }
    expect(lines[2]).toMatch(/^engine +insert stream +13\.4 M\/s +5\.80 M\/s statsmodels +2\.32× +≥ 1× +met \[not run now, rows of \d{4}-\d\d-\d\dT\d\d:\d\dZ\]$/);
    expect(lines[3]).toMatch(/^kernel +trivial cell .* info \[not rewritten by this run, rows of \d{4}-\d\d-\d\dT\d\d:\d\dZ\]$/);
    expect(lines[4]).toMatch(/^stats +ols HAC +1\.80 ms +1\.07 ms statsmodels +0\.59× +≥ 1× +missed \[NOT rerun \(failed\)/);
    expect(lines[5]).toMatch(/3\.93× wall, 4\.99× CPU/);
    expect(lines[6]).toBe("[bench] 4 rows: 2 met, 1 missed, 1 info; FAILED (rows not rerun): stats; rows not from this run: engine, kernel, stats; no rows recorded: ticks");
    // --collect (nothing ran): no marks
    expect(formatRows(readRows(dir)).slice(2, 6).join("\n")).not.toMatch(/\[/);
  });
});

describe("scripts/bench on a fixture repository", () => {
  const repo = join(tmp, "repo");
  mkdirSync(join(repo, "scripts"), { recursive: true });
  mkdirSync(join(repo, "bench/results"), { recursive: true });
  for (const f of ["scripts/bench", "bench/rows.ts", "bench/rows-print.ts"]) copyFileSync(join(ROOT, f), join(repo, f));
  symlinkSync(join(ROOT, "node_modules"), join(repo, "node_modules"));
  const area = (name: string, script: string): void => {
    mkdirSync(join(repo, "bench", name), { recursive: true });
    writeFileSync(join(repo, "bench", name, "run.sh"), `#!/usr/bin/env bash\ncd "$(dirname "$0")/../.."\n${script}\n`, { mode: 0o755 });
  };
  const make = `import { writeFileSync } from "node:fs";
import { writeRows } from "../rows.js";
writeFileSync("bench/results/good.md", "## good\\n\\nnew figures\\n");
writeRows("good", [{ row: "step", statarb: 10, peer: 30, peerName: "pandas", ratio: 3, unit: "ms", target: "≥ 1×", verdict: "met", load: "1.00 1.00 1.00" }]);
`;
  area("good", "npx tsx bench/good/make.ts");
  writeFileSync(join(repo, "bench/good/make.ts"), make);
  area("bad", "echo half-way; exit 3");
  writeFileSync(join(repo, "bench/results/bad.md"), "## bad\n\nold figures\n");
  utimesSync(join(repo, "bench/results/bad.md"), 1e9, 1e9); // written by an earlier run
  writeFileSync(join(repo, "bench/results/good.notes.md"), "A hand-written note, kept.\n");
  writeFileSync(join(repo, "bench/results/other.md"), "## other\n\nwritten by its own command\n");
  writeFileSync(join(repo, "bench/results/stamped.md"), "## stamped\n\nNot run by `npm run bench` (its own stamp).\n");
  const bench = (...args: string[]) => spawnSync("bash", [join(repo, "scripts/bench"), ...args], { cwd: repo, encoding: "utf8" });

  it("a failed area: exit 1, its section marked NOT rerun above the old figures, rows printed, notes appended", () => {
    const r = bench();
    expect(r.status).toBe(1);
    const results = readFileSync(join(repo, "bench/RESULTS.md"), "utf8");
    expect(results).toContain("## bad\n\n> **NOT rerun in this run (failed: see log)** — `bash scripts/bench bad` failed at ");
    expect(results).toMatch(/; the figures below are from an earlier run\.\n\nold figures\n/);
    expect(results).toContain("\n## good\n\nnew figures\nA hand-written note, kept.\n");
    expect(results).toContain("## other\n\n> Not rerun by `npm run bench` (there is no bench/other/ area)");
    expect(results).toContain("\n## stamped\n\nNot run by `npm run bench` (its own stamp).\n"); // not marked twice
    expect(readFileSync(join(repo, "bench/.tmp/logs/bad.log"), "utf8")).toContain("half-way");
    expect(r.stdout).toMatch(/\ngood +step +10\.0 ms +30\.0 ms pandas +3\.00× +≥ 1× +met\n/);
    expect(r.stdout).toContain("[bench] 1 rows: 1 met, 0 missed, 0 info; FAILED (rows not rerun): bad; no rows recorded: bad");
    expect(r.stderr).toContain("[bench] FAILED: bad");
    expect(results).not.toContain("rewrote this section");
    // --collect alone reproduces RESULTS.md exactly, the failure mark included
    expect(bench("--check").status).toBe(0);
    writeFileSync(join(repo, "bench/RESULTS.md"), `${results}hand edit\n`);
    const check = bench("--check");
    expect(check.status).toBe(1);
    expect(check.stdout).toContain("-hand edit");
    expect(bench("--collect").status).toBe(0);
    expect(readFileSync(join(repo, "bench/RESULTS.md"), "utf8")).toBe(results);
  });

  it("a failed run that rewrote the section says so; the next successful run removes the mark; an unknown area is refused", () => {
    area("bad", 'printf "## bad\\n\\nhalf\\n" > bench/results/bad.md; exit 1');
    expect(bench("bad").status).toBe(1);
    expect(readFileSync(join(repo, "bench/RESULTS.md"), "utf8")).toMatch(/; the bench rewrote this section before it failed: some figures below may be from this run, the rest from an earlier one\.\n\nhalf\n/);
    area("bad", 'printf "## bad\\n\\nrerun figures\\n" > bench/results/bad.md');
    const r = bench("bad");
    expect(r.status).toBe(0);
    expect(existsSync(join(repo, "bench/results/bad.failed"))).toBe(false);
    const results = readFileSync(join(repo, "bench/RESULTS.md"), "utf8");
    expect(results).toContain("## bad\n\nrerun figures\n");
    expect(results).not.toContain("NOT rerun in this run");
    expect(bench("nosuch").status).toBe(2);
    expect(bench("--colect").status).toBe(2);
  });
});
