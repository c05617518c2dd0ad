/**
 * A dense convex QP solver: minimise ½ xᵀPx + qᵀx subject to l ≤ Ax ≤ u, by the ADMM splitting of
 * OSQP (Stellato, Banjac, Goulart, Bemporad & Boyd 2020, "OSQP: an operator splitting solver for
 * quadratic programs", Math. Prog. Comp. 12) with adaptive ρ and a final polish (solve the KKT
 * system of the detected active set), so solutions agree with interior-point solvers (cvxpy +
 * Clarabel) to ~1e-8. Equality rows are rows with l = u.
 *
 * Hand-written on row-major Float64Arrays: the portfolio problems are small and dense (n ≤ ~1,000
 * variables); the npm QP packages are either unmaintained (quadprog, a 1980s Fortran port that
 * requires P positive definite — our P is only semidefinite) or wrap native code.
 */
import { checkKeys } from "../../data/index.js";
import { choleskyInPlace, choleskySolveInPlace, solveDense } from "../../stats/index.js";

/** A QP in the OSQP form, all matrices dense row-major. */
export interface QPProblem {
  /** n × n positive semidefinite. */
  readonly P: Float64Array;
  readonly q: Float64Array;
  /** m × n. */
  readonly A: Float64Array;
  readonly l: Float64Array;
  readonly u: Float64Array;
  readonly n: number;
  readonly m: number;
}

export interface QPOptions {
  /** Absolute tolerance (default 1e-9). */
  epsAbs?: number;
  /** Relative tolerance (default 1e-9). */
  epsRel?: number;
  /** ADMM iteration cap (default 20,000). */
  maxIterations?: number;
  /** Initial ρ (default 0.1). */
  rho?: number;
}

export interface QPSolution {
  readonly x: Float64Array;
  /** Constraint multipliers (positive = upper bound active, negative = lower). */
  readonly y: Float64Array;
  readonly status: "solved" | "max-iterations";
  readonly iterations: number;
  readonly primalResidual: number;
  readonly dualResidual: number;
  readonly polished: boolean;
}

const SIGMA = 1e-6;
const ALPHA = 1.6;

function matVec(a: Float64Array, rows: number, cols: number, x: Float64Array, out: Float64Array): void {
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const b = i * cols;
    for (let j = 0; j < cols; j++) s += a[b + j]! * x[j]!;
    out[i] = s;
  }
}

function matTVec(a: Float64Array, rows: number, cols: number, y: Float64Array, out: Float64Array): void {
  out.fill(0);
  for (let i = 0; i < rows; i++) {
    const yi = y[i]!;
    if (yi === 0) continue;
    const b = i * cols;
    for (let j = 0; j < cols; j++) out[j] = out[j]! + a[b + j]! * yi;
  }
}

function normInf(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  return m;
}

function factor(p: QPProblem, rho: Float64Array): Float64Array {
  const { n, m, A, P } = p;
  const k = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) k[i] = P[i]!;
  for (let i = 0; i < n; i++) k[i * n + i] = k[i * n + i]! + SIGMA;
  for (let r = 0; r < m; r++) {
    const rr = rho[r]!;
    const b = r * n;
    for (let i = 0; i < n; i++) {
      const ai = A[b + i]! * rr;
      if (ai === 0) continue;
      for (let j = 0; j < n; j++) k[i * n + j] = k[i * n + j]! + ai * A[b + j]!;
    }
  }
  if (!choleskyInPlace(k, n)) throw new RangeError("QP: the KKT matrix is not positive definite (P must be positive semidefinite)");
  return k;
}

function residuals(p: QPProblem, x: Float64Array, z: Float64Array, y: Float64Array, ax: Float64Array, px: Float64Array, aty: Float64Array): { prim: number; dual: number; primScale: number; dualScale: number } {
  matVec(p.A, p.m, p.n, x, ax);
  matVec(p.P, p.n, p.n, x, px);
  matTVec(p.A, p.m, p.n, y, aty);
  let prim = 0;
  for (let i = 0; i < p.m; i++) prim = Math.max(prim, Math.abs(ax[i]! - z[i]!));
  let dual = 0;
  for (let j = 0; j < p.n; j++) dual = Math.max(dual, Math.abs(px[j]! + p.q[j]! + aty[j]!));
  return { prim, dual, primScale: Math.max(normInf(ax), normInf(z)), dualScale: Math.max(normInf(px), normInf(aty), normInf(p.q)) };
}

/** Solves the QP; throws on inconsistent sizes or bounds (l > u). */
export function solveQP(p: QPProblem, options: QPOptions = {}): QPSolution {
  const o = Object.fromEntries(checkKeys("solveQP", options, ["epsAbs", "epsRel", "maxIterations", "rho"])) as QPOptions;
  const { n, m, A, l, u, q } = p;
  if (p.P.length !== n * n || q.length !== n || A.length !== m * n || l.length !== m || u.length !== m) throw new RangeError(`QP: sizes do not match n = ${n}, m = ${m}`);
  for (let i = 0; i < m; i++) if (!(l[i]! <= u[i]!)) throw new RangeError(`QP: constraint ${i} has lower bound ${l[i]} above upper bound ${u[i]}`);
  const epsAbs = o.epsAbs ?? 1e-9;
  const epsRel = o.epsRel ?? 1e-9;
  const maxIter = o.maxIterations ?? 20_000;
  let rhoBar = o.rho ?? 0.1;
  const rho = new Float64Array(m);
  const setRho = (): void => {
    for (let i = 0; i < m; i++) rho[i] = l[i] === u[i] ? 1e3 * rhoBar : l[i]! === -Infinity && u[i]! === Infinity ? 1e-6 : rhoBar;
  };
  setRho();
  let L = factor(p, rho);
  const x = new Float64Array(n);
  const z = new Float64Array(m);
  const y = new Float64Array(m);
  const rhs = new Float64Array(n);
  const tmp = new Float64Array(m);
  const xt = new Float64Array(n);
  const zt = new Float64Array(m);
  const ax = new Float64Array(m);
  const px = new Float64Array(n);
  const aty = new Float64Array(n);
  let status: QPSolution["status"] = "max-iterations";
  let it = 0;
  let res = { prim: Infinity, dual: Infinity, primScale: 0, dualScale: 0 };
  for (it = 1; it <= maxIter; it++) {
    for (let i = 0; i < m; i++) tmp[i] = rho[i]! * z[i]! - y[i]!;
    matTVec(A, m, n, tmp, rhs);
    for (let j = 0; j < n; j++) rhs[j] = rhs[j]! + SIGMA * x[j]! - q[j]!;
    xt.set(rhs);
    choleskySolveInPlace(L, n, xt);
    matVec(A, m, n, xt, zt);
    for (let j = 0; j < n; j++) x[j] = ALPHA * xt[j]! + (1 - ALPHA) * x[j]!;
    for (let i = 0; i < m; i++) {
      const zr = ALPHA * zt[i]! + (1 - ALPHA) * z[i]!;
      const ri = rho[i]!;
      const zn = Math.min(Math.max(zr + y[i]! / ri, l[i]!), u[i]!);
      y[i] = y[i]! + ri * (zr - zn);
      z[i] = zn;
    }
    if (it % 10 === 0 || it === maxIter) {
      res = residuals(p, x, z, y, ax, px, aty);
      if (res.prim <= epsAbs + epsRel * res.primScale && res.dual <= epsAbs + epsRel * res.dualScale) {
        status = "solved";
        break;
      }
      if (it % 50 === 0) {
        const ratio = Math.sqrt((res.prim / Math.max(res.primScale, 1e-30)) / Math.max(res.dual / Math.max(res.dualScale, 1e-30), 1e-30));
        const next = Math.min(Math.max(rhoBar * ratio, 1e-6), 1e6);
        if (next > 5 * rhoBar || next < rhoBar / 5) {
          rhoBar = next;
          setRho();
          L = factor(p, rho);
        }
      }
    }
  }
  const iterations = Math.min(it, maxIter);
  const polishedX = polish(p, x, z, y);
  if (polishedX !== null) {
    const r2 = residuals(p, polishedX.x, clampTo(p, polishedX.x), polishedX.y, ax, px, aty);
    const viol = violation(p, polishedX.x);
    const fa = objective(p, x);
    const fp = objective(p, polishedX.x);
    // accept a feasible polished point that is no worse than the ADMM iterate (which may itself be
    // ~eps infeasible, hence the small slack)
    if (viol <= 1e-11 * Math.max(1, normInf(p.u.map((v) => (Number.isFinite(v) ? v : 0)))) && fp <= fa + 1e-7 * Math.abs(fa) + 1e-13) {
      // multipliers of a degenerate vertex are not unique: keep the ADMM ones when theirs are worse
      const useOwn = r2.dual <= res.dual;
      return Object.freeze({ x: polishedX.x, y: useOwn ? polishedX.y : y, status: "solved", iterations, primalResidual: viol, dualResidual: useOwn ? r2.dual : res.dual, polished: true });
    }
  }
  return Object.freeze({ x, y, status, iterations, primalResidual: res.prim, dualResidual: res.dual, polished: false });
}

function objective(p: QPProblem, x: Float64Array): number {
  let f = 0;
  for (let i = 0; i < p.n; i++) {
    const xi = x[i]!;
    f += p.q[i]! * xi;
    let s = 0;
    for (let j = 0; j < p.n; j++) s += p.P[i * p.n + j]! * x[j]!;
    f += 0.5 * xi * s;
  }
  return f;
}

function clampTo(p: QPProblem, x: Float64Array): Float64Array {
  const ax = new Float64Array(p.m);
  matVec(p.A, p.m, p.n, x, ax);
  for (let i = 0; i < p.m; i++) ax[i] = Math.min(Math.max(ax[i]!, p.l[i]!), p.u[i]!);
  return ax;
}

/** Largest bound violation of Ax. */
export function violation(p: QPProblem, x: Float64Array): number {
  const ax = new Float64Array(p.m);
  matVec(p.A, p.m, p.n, x, ax);
  let v = 0;
  for (let i = 0; i < p.m; i++) v = Math.max(v, p.l[i]! - ax[i]!, ax[i]! - p.u[i]!);
  return v;
}

/** OSQP's polish: solve the equality-constrained QP of the active set guessed from (z, y). */
function polish(p: QPProblem, x: Float64Array, z: Float64Array, y: Float64Array): { x: Float64Array; y: Float64Array } | null {
  const { n, m, A, P, q, l, u } = p;
  const act: number[] = [];
  const bnd: number[] = [];
  const side: number[] = []; // −1 lower, +1 upper, 0 equality
  for (let i = 0; i < m; i++) {
    const zi = z[i]!;
    const yi = y[i]!;
    if (l[i] === u[i]) (act.push(i), bnd.push(l[i]!), side.push(0));
    else if (zi - l[i]! < -yi) (act.push(i), bnd.push(l[i]!), side.push(-1));
    else if (u[i]! - zi < yi) (act.push(i), bnd.push(u[i]!), side.push(1));
  }
  const k = act.length;
  const N = n + k;
  const delta = 1e-10;
  const K = new Float64Array(N * N);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) K[i * N + j] = P[i * n + j]!;
  for (let i = 0; i < n; i++) K[i * N + i] = K[i * N + i]! + delta;
  act.forEach((r, a) => {
    for (let j = 0; j < n; j++) {
      const v = A[r * n + j]!;
      K[(n + a) * N + j] = v;
      K[j * N + n + a] = v;
    }
    K[(n + a) * N + n + a] = -delta;
  });
  const b = new Float64Array(N);
  for (let j = 0; j < n; j++) b[j] = -q[j]!;
  bnd.forEach((v, a) => (b[n + a] = v));
  // the regularised matrix is solved, then refined against the exact one
  let sol = solveDense(K, N, b);
  if (sol === null) return null;
  const Kexact = Float64Array.from(K);
  for (let i = 0; i < n; i++) Kexact[i * N + i] = Kexact[i * N + i]! - delta;
  for (let a = 0; a < k; a++) Kexact[(n + a) * N + n + a] = 0;
  for (let r = 0; r < 5; r++) {
    const resid = new Float64Array(N);
    matVec(Kexact, N, N, sol, resid);
    for (let i = 0; i < N; i++) resid[i] = b[i]! - resid[i]!;
    const d = solveDense(K, N, resid);
    if (d === null) break;
    for (let i = 0; i < N; i++) sol[i] = sol[i]! + d[i]!;
  }
  if (!sol.every(Number.isFinite)) return null;
  const xs = sol.slice(0, n);
  const ys = new Float64Array(m);
  let scale = 1;
  for (let a = 0; a < k; a++) scale = Math.max(scale, Math.abs(sol[n + a]!));
  for (let a = 0; a < k; a++) {
    const v = sol[n + a]!;
    // a multiplier of the wrong sign means the guessed active set is not the optimal one
    // a multiplier of the wrong sign: either a degenerate vertex (several bounds active at once, the
    // multipliers are not unique) or a wrong active set; the objective check in solveQP decides
    ys[act[a]!] = side[a]! * v < -1e-7 * scale ? 0 : v;
  }
  void x;
  sol = xs;
  return { x: sol, y: ys };
}
