// OLS kernels for lib/stats/ols.ts: the same numbers as its TypeScript path, bit for bit. Every sum
// is taken in the order the TypeScript takes it (this file is compiled with -ffp-contract=off: no
// fused multiply-adds, no reassociation); the vectors run independent sums side by side only — four
// lanes of `dot`'s four accumulators, four consecutive t of the Bartlett lag sum, four columns b of
// the HAC cross products — never one sum split across lanes.
//   olsGram(x, n, p, y, out): x column-major n × p; out = [scale (p), G (p × p), Xᵀy·scale (p)] with
//     scale_j = 1/√(x_j·x_j) and G_ab = (x_a·x_b)·scale_a·scale_b; false (out partly written) when some
//     x_j·x_j is not positive and finite (ols.ts' gramSolve then uses QR).
//   olsRefineRhs(x, n, p, y, coef, scale, out): r = y − x_0·coef_0 − … − x_{p−1}·coef_{p−1} (in that
//     order), out_j = (x_j·r)·scale_j.
//   olsResiduals(x, n, p, y, params, fitted, resid) → SSR: fitted = Σ_j x_j·params_j (j ascending from
//     0), resid = y − fitted, SSR = Σ_i resid_i² (i ascending).
//   olsHac(x, n, p, resid, w, L, g, g0): u_j = x_j·resid, y_b(t) = Σ_{l=1..min(t,L)} w_l·u_b(t − l) (l
//     ascending), g_ab = Σ_t u_a(t)·y_b(t), g0_ab = Σ_t u_a(t)·u_b(t) (t ascending; g0 for b ≥ a only,
//     the rest left as it is).
// `dot` below is lib/stats/matrix.ts' dot: four accumulators over i ≡ 0..3 (mod 4), the tail into the
// first, then (s0 + s1) + (s2 + s3).
#include <napi.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "napi_args.h"

namespace {

typedef double v4d __attribute__((vector_size(32)));

inline v4d load4(const double* p) {
  v4d v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store4(double* p, v4d v) { std::memcpy(p, &v, sizeof v); }

double dot(const double* a, const double* b, int64_t n) {
  v4d s = {0.0, 0.0, 0.0, 0.0};
  int64_t i = 0;
  for (; i + 3 < n; i += 4) s += load4(a + i) * load4(b + i);
  double s0 = s[0];
  for (; i < n; ++i) s0 += a[i] * b[i];
  return s0 + s[1] + (s[2] + s[3]);
}

// out[k] = dot(a, b[k], n) for k < m ≤ 4: the same sums as `dot`, m of them in flight at once.
void dots(const double* a, const double* const* b, int m, int64_t n, double* out) {
  if (m < 4) {
    for (int k = 0; k < m; ++k) out[k] = dot(a, b[k], n);
    return;
  }
  v4d s0 = {0.0, 0.0, 0.0, 0.0}, s1 = s0, s2 = s0, s3 = s0;
  const double *b0 = b[0], *b1 = b[1], *b2 = b[2], *b3 = b[3];
  int64_t i = 0;
  for (; i + 3 < n; i += 4) {
    const v4d va = load4(a + i);
    s0 += va * load4(b0 + i);
    s1 += va * load4(b1 + i);
    s2 += va * load4(b2 + i);
    s3 += va * load4(b3 + i);
  }
  double t0 = s0[0], t1 = s1[0], t2 = s2[0], t3 = s3[0];
  for (; i < n; ++i) {
    t0 += a[i] * b0[i];
    t1 += a[i] * b1[i];
    t2 += a[i] * b2[i];
    t3 += a[i] * b3[i];
  }
  out[0] = t0 + s0[1] + (s0[2] + s0[3]);
  out[1] = t1 + s1[1] + (s1[2] + s1[3]);
  out[2] = t2 + s2[1] + (s2[2] + s2[3]);
  out[3] = t3 + s3[1] + (s3[2] + s3[3]);
}

// out[k] = dot(a, cols[k], n) for every k < m, four at a time.
void dotsAll(const double* a, const double* const* cols, int64_t m, int64_t n, double* out) {
  for (int64_t k = 0; k < m; k += 4) dots(a, cols + k, static_cast<int>(std::min<int64_t>(4, m - k)), n, out + k);
}

// Bartlett lag sums of one column u (n values) into y, as ols.ts' bartlettLags.
void bartlettLags(const double* u, int64_t n, const double* w, int64_t L, double* y) {
  y[0] = 0.0;
  int64_t t = 1;
  for (; t < n && t < L; ++t) {
    double acc = 0.0;
    for (int64_t lag = 1; lag <= t; ++lag) acc += w[lag] * u[t - lag];
    y[t] = acc;
  }
  for (; t + 15 < n; t += 16) {  // sixteen t, four vectors: independent sums in flight
    v4d a0 = {0.0, 0.0, 0.0, 0.0}, a1 = a0, a2 = a0, a3 = a0;
    for (int64_t lag = 1; lag <= L; ++lag) {
      const double wl = w[lag];
      const double* ul = u + t - lag;
      a0 += wl * load4(ul);
      a1 += wl * load4(ul + 4);
      a2 += wl * load4(ul + 8);
      a3 += wl * load4(ul + 12);
    }
    store4(y + t, a0);
    store4(y + t + 4, a1);
    store4(y + t + 8, a2);
    store4(y + t + 12, a3);
  }
  for (; t + 3 < n; t += 4) {
    v4d acc = {0.0, 0.0, 0.0, 0.0};
    for (int64_t lag = 1; lag <= L; ++lag) acc += w[lag] * load4(u + t - lag);
    store4(y + t, acc);
  }
  for (; t < n; ++t) {
    double acc = 0.0;
    for (int64_t lag = 1; lag <= L; ++lag) acc += w[lag] * u[t - lag];
    y[t] = acc;
  }
}

// One block of rows for the sums of columns a … a+NA−1 against the 4-column groups k … k+NK−1:
// up to eight independent sums in registers (each still over the rows in order).
template <int NA, int NK>
void crossBlock(const double* Ub, const double* Yb, int64_t tb, int64_t pw, int64_t a, int64_t k, int64_t nb, v4d* sg, v4d* s0) {
  v4d G[NA][NK], Q[NA][NK];
  for (int i = 0; i < NA; ++i) {
    for (int j = 0; j < NK; ++j) G[i][j] = sg[(a + i) * nb + k + j], Q[i][j] = s0[(a + i) * nb + k + j];
  }
  for (int64_t r = 0; r < tb; ++r) {
    const double* ur = Ub + r * pw;
    const double* yr = Yb + r * pw + 4 * k;
    for (int i = 0; i < NA; ++i) {
      const double ua = ur[a + i];
      for (int j = 0; j < NK; ++j) {
        G[i][j] += ua * load4(yr + 4 * j);
        Q[i][j] += ua * load4(ur + 4 * (k + j));
      }
    }
  }
  for (int i = 0; i < NA; ++i) {
    for (int j = 0; j < NK; ++j) sg[(a + i) * nb + k + j] = G[i][j], s0[(a + i) * nb + k + j] = Q[i][j];
  }
}

// The p × p cross products of the column-major n × p blocks u and y: g[a·p + b] = Σ_t u_a(t)·y_b(t),
// g0[a·p + b] = Σ_t u_a(t)·u_b(t) (b ≥ a written), each over t in order. The rows go through in
// blocks of 64, transposed into an L1-sized row-major buffer (pw = p rounded up to 4, padding zero),
// so four columns b are one vector; the sums carry over from block to block.
void crossProducts(const double* u, const double* y, int64_t n, int64_t p, double* g, double* g0) {
  constexpr int64_t B = 64;
  const int64_t pw = (p + 3) / 4 * 4, nb = pw / 4;
  std::vector<double> buf(static_cast<size_t>(2 * B * pw));
  double* Ub = buf.data();
  double* Yb = Ub + B * pw;
  std::vector<v4d> sg(static_cast<size_t>(p * nb), v4d{0.0, 0.0, 0.0, 0.0}), s0(sg);
  for (int64_t t0 = 0; t0 < n; t0 += B) {
    const int64_t tb = std::min(B, n - t0);
    for (int64_t j = 0; j < p; ++j) {  // the padding lanes stay zero (buf starts zeroed)
      const double* uj = u + j * n + t0;
      const double* yj = y + j * n + t0;
      for (int64_t r = 0; r < tb; ++r) Ub[r * pw + j] = uj[r], Yb[r * pw + j] = yj[r];
    }
    for (int64_t a = 0; a < p; a += 2) {
      for (int64_t k = 0; k < nb; k += 2) {
        const bool twoA = a + 1 < p, twoK = k + 1 < nb;
        if (twoA && twoK) crossBlock<2, 2>(Ub, Yb, tb, pw, a, k, nb, sg.data(), s0.data());
        else if (twoA) crossBlock<2, 1>(Ub, Yb, tb, pw, a, k, nb, sg.data(), s0.data());
        else if (twoK) crossBlock<1, 2>(Ub, Yb, tb, pw, a, k, nb, sg.data(), s0.data());
        else crossBlock<1, 1>(Ub, Yb, tb, pw, a, k, nb, sg.data(), s0.data());
      }
    }
  }
  for (int64_t a = 0; a < p; ++a) {
    for (int64_t b = 0; b < p; ++b) {
      g[a * p + b] = sg[a * nb + b / 4][b % 4];
      if (b >= a) g0[a * p + b] = s0[a * nb + b / 4][b % 4];
    }
  }
}

// Per-thread scratch that only grows: no allocation (and no fresh pages) per call once warm.
std::vector<double>& scratch(int which, size_t size) {
  thread_local std::vector<double> buf[3];
  if (buf[which].size() < size) buf[which].resize(size);
  return buf[which];
}

// The arguments of one kernel call, (x, n, p, …), read by napi_args.h's ArgReader (each value once,
// every status checked, outputs disjoint from every other array): the design first — n, p (p in
// 1…4096, n·p ≤ 2^40) and x, a Float64Array of at least n·p values.
struct Design {
  const double* x = nullptr;  // column-major n × p
  int64_t n = 0, p = 0;
};

class KernelArgs : public statarb::ArgReader {
 public:
  KernelArgs(const Napi::CallbackInfo& info, const char* fn, size_t argc, const char* usage) : ArgReader(info, fn, argc, argc, usage) {
    const int64_t n = count(1, "n"), p = count(2, "p");
    if (ok() && (p == 0 || p > 4096 || n > (int64_t(1) << 40) / p)) fail("design of " + std::to_string(n) + " × " + std::to_string(p) + " is out of range (p in 1…4096, n·p ≤ 2^40)");
    design_ = {f64(0, n * p, "x", false), n, p};
  }
  // x, n, p (zeros after a failure)
  const Design& design() const { return design_; }
  Napi::Value undefined() const { return env().Undefined(); }

 private:
  Design design_;
};

Napi::Value OlsGram(const Napi::CallbackInfo& info) {
  KernelArgs A(info, "olsGram", 5, "(x, n, p, y, out)");
  const auto [x, n, p] = A.design();
  const double* y = A.f64(3, n, "y", false);
  double* out = A.f64(4, p * p + 2 * p, "out", true);
  if (!A.disjoint()) return A.undefined();
  double* scale = out;
  double* g = out + p;
  double* xty = out + p + p * p;
  for (int64_t j = 0; j < p; ++j) {
    const double ss = dot(x + j * n, x + j * n, n);
    if (!(ss > 0) || !std::isfinite(ss)) return Napi::Boolean::New(info.Env(), false);
    scale[j] = 1.0 / std::sqrt(ss);
  }
  // the columns b ≥ a of x, then y: row a of the Gram matrix and Xᵀy's entry a in one sweep over x_a
  std::vector<const double*> cols(static_cast<size_t>(p + 1));
  std::vector<double> d(static_cast<size_t>(p + 1));
  for (int64_t a = 0; a < p; ++a) {
    int64_t m = 0;
    for (int64_t b = a; b < p; ++b) cols[m++] = x + b * n;
    cols[m++] = y;
    dotsAll(x + a * n, cols.data(), m, n, d.data());
    for (int64_t b = a; b < p; ++b) {
      const double s = d[b - a] * scale[a] * scale[b];
      g[b * p + a] = s;
      g[a * p + b] = s;
    }
    xty[a] = d[m - 1] * scale[a];
  }
  return Napi::Boolean::New(info.Env(), true);
}

Napi::Value OlsRefineRhs(const Napi::CallbackInfo& info) {
  KernelArgs A(info, "olsRefineRhs", 7, "(x, n, p, y, coef, scale, out)");
  const auto [x, n, p] = A.design();
  const double* y = A.f64(3, n, "y", false);
  const double* coef = A.f64(4, p, "coef", false);
  const double* scale = A.f64(5, p, "scale", false);
  double* out = A.f64(6, p, "out", true);
  if (!A.disjoint()) return A.undefined();
  std::vector<double>& r = scratch(0, static_cast<size_t>(n));
  std::memcpy(r.data(), y, static_cast<size_t>(n) * sizeof(double));
  for (int64_t j = 0; j < p; ++j) {
    const double bj = coef[j] * scale[j];
    const double* c = x + j * n;
    for (int64_t i = 0; i < n; ++i) r[i] = r[i] - c[i] * bj;
  }
  std::vector<const double*> cols(static_cast<size_t>(p));
  for (int64_t j = 0; j < p; ++j) cols[j] = x + j * n;
  std::vector<double> d(static_cast<size_t>(p));
  dotsAll(r.data(), cols.data(), p, n, d.data());  // dot(x_j, r) = dot(r, x_j): the same products in the same order
  for (int64_t j = 0; j < p; ++j) out[j] = d[j] * scale[j];
  return info.Env().Undefined();
}

Napi::Value OlsResiduals(const Napi::CallbackInfo& info) {
  KernelArgs A(info, "olsResiduals", 7, "(x, n, p, y, params, fitted, resid)");
  const auto [x, n, p] = A.design();
  const double* y = A.f64(3, n, "y", false);
  const double* params = A.f64(4, p, "params", false);
  double* fitted = A.f64(5, n, "fitted", true);
  double* resid = A.f64(6, n, "resid", true);
  if (!A.disjoint()) return A.undefined();
  std::vector<double>& f = scratch(0, static_cast<size_t>(n));
  std::fill(f.begin(), f.begin() + n, 0.0);
  for (int64_t j = 0; j < p; ++j) {
    const double b = params[j];
    const double* c = x + j * n;
    for (int64_t i = 0; i < n; ++i) f[i] = f[i] + c[i] * b;
  }
  double ssr = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    const double r = y[i] - f[i];
    resid[i] = r;
    ssr += r * r;
  }
  std::memcpy(fitted, f.data(), static_cast<size_t>(n) * sizeof(double));
  return Napi::Number::New(info.Env(), ssr);
}

Napi::Value OlsHac(const Napi::CallbackInfo& info) {
  KernelArgs A(info, "olsHac", 8, "(x, n, p, resid, w, L, g, g0)");
  const auto [x, n, p] = A.design();
  const double* resid = A.f64(3, n, "resid", false);
  const int64_t L = A.count(5, "L");
  if (A.ok() && n > 0 && L > n - 1) A.fail("L must be below n (" + std::to_string(n) + "), got " + std::to_string(L));
  const double* w = A.f64(4, L + 1, "w", false);
  double* g = A.f64(6, p * p, "g", true);
  double* g0 = A.f64(7, p * p, "g0", true);
  if (!A.disjoint() || n == 0) return A.undefined();
  double* u = scratch(1, static_cast<size_t>(n * p)).data();
  double* yl = scratch(2, static_cast<size_t>(n * p)).data();
  for (int64_t j = 0; j < p; ++j) {
    const double* c = x + j * n;
    double* uj = u + j * n;
    for (int64_t i = 0; i < n; ++i) uj[i] = c[i] * resid[i];
    bartlettLags(uj, n, w, L, yl + j * n);
  }
  crossProducts(u, yl, n, p, g, g0);
  return info.Env().Undefined();
}

template <Napi::Value (*F)(const Napi::CallbackInfo&)>
Napi::Value guardedOls(const Napi::CallbackInfo& info) {
  try {
    return F(info);
  } catch (const std::bad_alloc&) {
    if (!info.Env().IsExceptionPending()) Napi::RangeError::New(info.Env(), "ols kernels: out of memory for an input of this size").ThrowAsJavaScriptException();
  } catch (const std::exception& e) {  // never std::terminate (an abort) on a C++ exception
    if (!info.Env().IsExceptionPending()) Napi::Error::New(info.Env(), std::string("ols kernels: ") + e.what()).ThrowAsJavaScriptException();
  }
  return info.Env().Undefined();
}

}  // namespace

void statarbRegisterOls(Napi::Env env, Napi::Object exports) {
  exports.Set("olsGram", Napi::Function::New(env, guardedOls<OlsGram>, "olsGram"));
  exports.Set("olsRefineRhs", Napi::Function::New(env, guardedOls<OlsRefineRhs>, "olsRefineRhs"));
  exports.Set("olsResiduals", Napi::Function::New(env, guardedOls<OlsResiduals>, "olsResiduals"));
  exports.Set("olsHac", Napi::Function::New(env, guardedOls<OlsHac>, "olsHac"));
}
