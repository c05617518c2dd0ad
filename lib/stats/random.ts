/**
 * The seeded random generator of statarb — every seeded draw in lib/ (Monte Carlo VaR, bootstraps,
 * synthetic markets, ML subsampling) comes from here.
 *
 * Algorithm: xoshiro128** (Blackman & Vigna 2018, "Scrambled linear pseudorandom number generators")
 * on four 32-bit words (JS has no fast 64-bit integers); period 2^128 − 1. The seed (an integer up to
 * 2^53) is split into two 32-bit halves and expanded into the state by MurmurHash3's fmix32
 * finaliser over a Weyl sequence (never the all-zero state). Uniforms on [0, 1) take 53 bits from two
 * outputs (27 + 26 bits); integers below n by rejection (no modulo bias); standard normals by the
 * Marsaglia polar method (two uniforms on (−1, 1)², accepted inside the unit disc, give two normals;
 * the second is kept for the next call).
 *
 * Each generator owns its state (no module-level state), so many backtests in one kernel process
 * stay independent and reproducible. Hand-written because Math.random cannot be seeded.
 */

/** A seeded generator. */
export interface RandomGenerator {
  /** Uniform on [0, 1) with 53 random bits. */
  next(): number;
  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** Uniform on [lo, hi). */
  uniform(lo?: number, hi?: number): number;
  /** Uniform integer on [0, n) without modulo bias. */
  int(n: number): number;
  /** Standard normal (or N(mean, sd²)). */
  normal(mean?: number, sd?: number): number;
  /** Fills (or allocates) an array with standard normals. */
  normals(n: number): Float64Array;
  /** Fills (or allocates) an array with uniforms on [0, 1). */
  uniforms(n: number): Float64Array;
  /** Shuffles an array in place (Fisher-Yates) and returns it. */
  shuffle<T>(a: T[]): T[];
  /** An independent generator seeded from this one's stream. */
  fork(): RandomGenerator;
  /** The seed it was created with. */
  readonly seed: number;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

class Xoshiro128 implements RandomGenerator {
  readonly seed: number;
  readonly #s = new Uint32Array(4);
  #spare = Number.NaN;

  constructor(seed: number) {
    this.seed = seed;
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    // expand (lo, hi) with a fmix32-based sequence; never all zero
    let x = lo ^ 0x9e3779b9;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      this.#s[i] = fmix32(x ^ Math.imul(hi + i + 1, 0x27d4eb2f));
    }
    if ((this.#s[0]! | this.#s[1]! | this.#s[2]! | this.#s[3]!) === 0) this.#s[0] = 1;
  }

  nextUint32(): number {
    const s = this.#s;
    const s0 = s[0]!, s1 = s[1]!, s2 = s[2]!, s3 = s[3]!;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    let n2 = s2 ^ s0;
    let n3 = s3 ^ s1;
    const n1 = s1 ^ n2;
    const n0 = s0 ^ n3;
    n2 ^= t;
    n3 = (n3 << 11) | (n3 >>> 21);
    s[0] = n0;
    s[1] = n1;
    s[2] = n2;
    s[3] = n3;
    return result;
  }

  next(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  }

  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }

  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 4294967296) throw new RangeError(`RandomGenerator.int: n must be an integer in [1, 2^32], got ${n}`);
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const u = this.nextUint32();
      if (u < limit) return u % n;
    }
  }

  normal(mean = 0, sd = 1): number {
    if (!Number.isNaN(this.#spare)) {
      const z = this.#spare;
      this.#spare = Number.NaN;
      return mean + sd * z;
    }
    for (;;) {
      const u = 2 * this.next() - 1;
      const v = 2 * this.next() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * Math.log(s)) / s);
        this.#spare = v * f;
        return mean + sd * u * f;
      }
    }
  }

  normals(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal();
    return out;
  }

  uniforms(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.next();
    return out;
  }

  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i] as T;
      a[i] = a[j] as T;
      a[j] = t;
    }
    return a;
  }

  fork(): RandomGenerator {
    return new Xoshiro128(this.nextUint32() * 2097152 + (this.nextUint32() >>> 11));
  }
}

/**
 * A seeded generator (xoshiro128**). `seed` is any non-negative integer up to 2^53; the same seed
 * gives the same stream on every platform.
 */
export function createRng(seed: number): RandomGenerator {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`createRng: seed must be a non-negative safe integer, got ${seed}`);
  return new Xoshiro128(seed);
}

/**
 * A `() => number` source of uniforms on [0, 1) from {@link createRng}, for code that takes a bare
 * uniform function (block bootstraps). Any finite seed is accepted and reduced to 32 bits (ToUint32,
 * `seed >>> 0`), the reduction statarb's earlier per-file generators applied.
 */
export function seededUniform(seed: number): () => number {
  if (!Number.isFinite(seed)) throw new RangeError(`seededUniform: seed must be a finite number, got ${seed}`);
  const rng = new Xoshiro128(seed >>> 0);
  return () => rng.next();
}
