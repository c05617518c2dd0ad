/**
 * Small dense linear algebra on row-major Float64Arrays, private to lib/signals and lib/portfolio:
 * Cholesky solves for ridge/OLS normal equations and the QP, a cyclic Jacobi eigen-solver for the
 * small symmetric matrices of Rayleigh–Ritz steps, and modified Gram–Schmidt. Hand-written because
 * these run inside per-date loops where allocation and call overhead of a general library dominate.
 */

/** In-place Cholesky of an n×n SPD matrix (lower triangle kept). Returns false if not positive definite. */
export function cholesky(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j] as number;
    for (let k = 0; k < j; k++) d -= (a[j * n + k] as number) ** 2;
    if (!(d > 0)) return false;
    const l = Math.sqrt(d);
    a[j * n + j] = l;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (a[i * n + k] as number) * (a[j * n + k] as number);
      a[i * n + j] = s / l;
    }
  }
  return true;
}

/** Solves L Lᵀ x = b in place in b, given the factor from {@link cholesky}. */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[i * n + k] as number) * (b[k] as number);
    b[i] = s / (l[i * n + i] as number);
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i] as number;
    for (let k = i + 1; k < n; k++) s -= (l[k * n + i] as number) * (b[k] as number);
    b[i] = s / (l[i * n + i] as number);
  }
}

/** Solves A x = b for SPD A (copied); throws when A is singular. */
export function solveSPD(a: Float64Array, n: number, b: Float64Array): Float64Array {
  const l = Float64Array.from(a);
  if (!cholesky(l, n)) throw new RangeError("matrix is not positive definite (collinear inputs?)");
  const x = Float64Array.from(b);
  choleskySolve(l, n, x);
  return x;
}

/** General solve with partial pivoting (copies); returns null when singular. */
export function solveLU(a: Float64Array, n: number, b: Float64Array): Float64Array | null {
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    let p = c;
    let best = Math.abs(m[c * n + c] as number);
    for (let r = c + 1; r < n; r++) {
      const v = Math.abs(m[r * n + c] as number);
      if (v > best) (best = v), (p = r);
    }
    if (best < 1e-300) return null;
    if (p !== c) {
      for (let k = 0; k < n; k++) {
        const t = m[c * n + k] as number;
        m[c * n + k] = m[p * n + k] as number;
        m[p * n + k] = t;
      }
      const t = x[c] as number;
      x[c] = x[p] as number;
      x[p] = t;
    }
    const piv = m[c * n + c] as number;
    for (let r = c + 1; r < n; r++) {
      const f = (m[r * n + c] as number) / piv;
      if (f === 0) continue;
      for (let k = c; k < n; k++) m[r * n + k] = (m[r * n + k] as number) - f * (m[c * n + k] as number);
      x[r] = (x[r] as number) - f * (x[c] as number);
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i] as number;
    for (let k = i + 1; k < n; k++) s -= (m[i * n + k] as number) * (x[k] as number);
    x[i] = s / (m[i * n + i] as number);
  }
  return x;
}

/**
 * Eigen-decomposition of a symmetric n×n matrix by cyclic Jacobi rotations. Returns eigenvalues in
 * descending order and eigenvectors as columns of a row-major n×n matrix (vectors[i*n + k] is
 * component i of vector k), each with its largest-magnitude component positive.
 */
export function jacobiEigen(input: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(input);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += (a[i * n + i] as number) ** 2;
      for (let j = i + 1; j < n; j++) off += (a[i * n + j] as number) ** 2;
    }
    if (off <= 1e-30 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q] as number;
        if (apq === 0) continue;
        const app = a[p * n + p] as number;
        const aqq = a[q * n + q] as number;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p] as number;
          const akq = a[k * n + q] as number;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k] as number;
          const aqk = a[q * n + k] as number;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p] as number;
          const vkq = v[k * n + q] as number;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => (a[y * n + y] as number) - (a[x * n + x] as number));
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, k) => {
    values[k] = a[src * n + src] as number;
    let big = 0;
    for (let i = 0; i < n; i++) if (Math.abs(v[i * n + src] as number) > Math.abs(big)) big = v[i * n + src] as number;
    const sgn = big < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) vectors[i * n + k] = sgn * (v[i * n + src] as number);
  });
  return { values, vectors };
}

/** Modified Gram–Schmidt on the k columns of a row-major n×k matrix, in place. */
export function orthonormalizeColumns(m: Float64Array, n: number, k: number): void {
  for (let c = 0; c < k; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += (m[i * k + c] as number) * (m[i * k + p] as number);
      for (let i = 0; i < n; i++) m[i * k + c] = (m[i * k + c] as number) - dot * (m[i * k + p] as number);
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += (m[i * k + c] as number) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < n; i++) m[i * k + c] = (m[i * k + c] as number) / norm;
  }
}
