import { Panel } from "../../lib/data/panel.js";
import { pcaResidualScores } from "../../lib/signals/index.js";
import { seededRng } from "../../lib/signals/internal/rng.js";
const n = 500, T = 2520, rng = seededRng(1);
const f = Array.from({ length: 10 }, () => Float64Array.from({ length: T }, () => 0.01 * rng.normal()));
const cols = Array.from({ length: n }, () => { const b = Float64Array.from({ length: 10 }, () => rng.normal() * 0.5); const c = new Float64Array(T); let p = 50; for (let t = 0; t < T; t++) { let r = 0.01 * rng.normal(); for (let k = 0; k < 10; k++) r += (b[k] as number) * ((f[k] as Float64Array)[t] as number); p *= 1 + r; c[t] = p; } return c; });
const panel = new Panel(Int32Array.from({ length: T }, (_, i) => 10000 + i), cols.map((_, j) => `A${j}`), cols);
for (const iters of [2, 1]) { const t0 = performance.now(); pcaResidualScores(panel, { trackingIterations: iters }); console.log(iters, performance.now() - t0); }
