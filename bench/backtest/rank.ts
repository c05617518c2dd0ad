/**
 * The rank step of the daily bench alone (bench/backtest/backtest.ts reports it beside pandas): the
 * built-in rank construction `scoresToWeights(row, { method: "rank", gross: 1 }, out)` over the 2,520
 * rows of 500 reversal scores of the seeded market, exactly as backtest.ts times it. Prints wall and CPU
 * medians of REPS runs (default 9), the load average, and a sha256 of every row's weights.
 * With BASE=<root of another checkout> (e.g. `git worktree add /tmp/base main`), that checkout's
 * scoresToWeights runs interleaved (A B B A …) on the same rows, and the weights are compared bit for bit.
 * Command: npx tsx bench/backtest/rank.ts   (REPS=15 BASE=/tmp/base npx tsx bench/backtest/rank.ts)
 */
import { createHash } from "node:crypto";
import { loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import { scoresToWeights } from "../../lib/backtest/index.js";
import { market } from "./market.js";

type Weights = typeof scoresToWeights;
const REPS = Math.max(3, Number(process.env.REPS ?? 9));
const N = 500;
const T = 2520;
const { scores } = market(N, T);
const rows = Array.from({ length: T }, (_, i) => Float64Array.from(scores.columns, (c) => c[i] as number));

function step(f: Weights): void {
  const out = new Float64Array(N);
  for (const s of rows) f(s, { method: "rank", gross: 1 }, out);
}

function digest(f: Weights): string {
  const h = createHash("sha256");
  const out = new Float64Array(N);
  for (const s of rows) h.update(new Uint8Array(f(s, { method: "rank", gross: 1 }, out).buffer));
  return h.digest("hex").slice(0, 16);
}

function timed(f: Weights): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  step(f);
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const load = () => loadavg().map((x) => x.toFixed(1)).join(" / ");

const engines: [string, Weights][] = [["this checkout", scoresToWeights]];
if (process.env.BASE) {
  const mod = (await import(pathToFileURL(`${process.env.BASE}/lib/backtest/index.ts`).href)) as { scoresToWeights: Weights };
  engines.push([`BASE ${process.env.BASE}`, mod.scoresToWeights]);
}
const loadStart = load();
const times = engines.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
for (const [, f] of engines) step(f); // warm-up
for (let r = 0; r < REPS; r++) {
  const order = r % 2 === 0 ? engines.map((_, k) => k) : engines.map((_, k) => engines.length - 1 - k);
  for (const k of order) {
    const t = timed(engines[k]![1]);
    times[k]!.wall.push(t.wall);
    times[k]!.cpu.push(t.cpu);
  }
}
console.log(`rank step: scoresToWeights (rank, gross 1) × ${T} rows of ${N}; ${REPS} rounds${engines.length > 1 ? " interleaved" : ""}, medians; load ${loadStart} → ${load()}`);
engines.forEach(([name, f], k) => {
  const t = times[k]!;
  console.log(`  ${name}: ${median(t.wall).toFixed(1)} ms wall, ${median(t.cpu).toFixed(1)} ms CPU (min ${Math.min(...t.wall).toFixed(1)} / ${Math.min(...t.cpu).toFixed(1)}); weights sha256 ${digest(f)}`);
});
