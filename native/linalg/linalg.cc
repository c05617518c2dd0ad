// statarb_linalg: symmetric eigen-decomposition for lib/stats (`eigh`), and the per-date dense
// kernels of lib/signals' PCA residual s-scores (`windowMoments`, `pcaTrack`, `pcaResiduals`, below).
// Eigen's Householder tridiagonalisation (A = Q·T·Qᵀ, Q formed explicitly), then implicit QL with
// shifts on the tridiagonal T. QL itself is O(n²) and independent of the eigenvectors, so its Givens
// rotations are recorded and applied afterwards to Q in parallel row blocks (each row of Q is
// transformed independently) — the O(n³) part runs on every core with one synchronisation.
// One call: eigh(a: Float64Array (n×n column-major, lower triangle read), n, values out, vectors out);
// values come out unsorted (lib/stats sorts and fixes signs). Inputs are checked here so JavaScript
// always gets a TypeError/RangeError, never a crash.
#include <napi.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <initializer_list>
#include <string>
#include <limits>
#include <thread>
#include <vector>

namespace {

// √(a² + b²) without std::hypot's cost (it dominates QL otherwise); rescales only when a square
// could overflow or underflow.
inline double pythag(double a, double b) {
  const double x = std::abs(a), y = std::abs(b);
  const double big = std::max(x, y);
  if (big == 0.0) return 0.0;
  if (big > 1e150 || big < 1e-150) {
    const double u = x / big, v = y / big;
    return big * std::sqrt(u * u + v * v);
  }
  return std::sqrt(x * x + y * y);
}

struct Rotation {
  Eigen::Index i;  // acts on columns i and i + 1
  double c;
  double s;
};

// Implicit QL on (d, e), e[k] = T(k+1, k); records the rotations, handing them to `flush` whenever
// `cap` have accumulated (bounded memory for large n). Returns false if it does not converge.
template <class Flush>
bool tridiagonalQL(Eigen::VectorXd& d, Eigen::VectorXd& e, std::vector<Rotation>& rot, size_t cap, Flush&& flush) {
  const Eigen::Index n = d.size();
  const double eps = std::numeric_limits<double>::epsilon();
  // an off-diagonal below ε·‖T‖ is zero to working precision (backward-stable split); needed for
  // clusters of (near-)zero eigenvalues of rank-deficient matrices
  double norm = 0.0;
  for (Eigen::Index i = 0; i < n; ++i) norm = std::max(norm, std::abs(d[i]) + std::abs(e[i]) + (i > 0 ? std::abs(e[i - 1]) : 0.0));
  const double tiny = eps * norm;
  for (Eigen::Index l = 0; l < n; ++l) {
    int iter = 0;
    for (;;) {
      Eigen::Index m = l;
      for (; m < n - 1; ++m) {
        const double dd = std::abs(d[m]) + std::abs(d[m + 1]);
        const double em = std::abs(e[m]);
        if (em <= eps * dd || em <= tiny) break;
      }
      if (m == l) break;
      if (++iter > 60) return false;
      double g = (d[l + 1] - d[l]) / (2.0 * e[l]);
      double r = pythag(g, 1.0);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      double s = 1.0, c = 1.0, p = 0.0;
      bool deflated = false;
      for (Eigen::Index i = m - 1; i >= l; --i) {
        const double f = s * e[i];
        const double b = c * e[i];
        r = pythag(f, g);
        e[i + 1] = r;
        if (r == 0.0) {
          d[i + 1] -= p;
          e[m] = 0.0;
          deflated = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2.0 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        rot.push_back({i, c, s});
        if (rot.size() >= cap) {
          flush(rot);
          rot.clear();
        }
      }
      if (deflated) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0.0;
    }
  }
  return true;
}

// Applies every rotation, in order, to rows [r0, r1) of the column-major matrix z (leading dimension ld).
void applyRotations(double* z, Eigen::Index ld, const std::vector<Rotation>& rot, Eigen::Index r0, Eigen::Index r1) {
  for (const Rotation& q : rot) {
    double* zi = z + q.i * ld;
    double* zj = z + (q.i + 1) * ld;
    const double c = q.c, s = q.s;
    for (Eigen::Index k = r0; k < r1; ++k) {
      const double f = zj[k];
      const double x = zi[k];
      zj[k] = s * x + c * f;
      zi[k] = c * x - s * f;
    }
  }
}

Napi::Float64Array checkedArray(const Napi::CallbackInfo& info, size_t i, size_t expected, const char* name) {
  if (!info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    NAPI_THROW(Napi::TypeError::New(info.Env(), std::string("eigh: ") + name + " must be a Float64Array"), Napi::Float64Array());
  }
  auto a = info[i].As<Napi::Float64Array>();
  if (a.ElementLength() != expected) {
    NAPI_THROW(Napi::RangeError::New(info.Env(), std::string("eigh: ") + name + " has the wrong length"), Napi::Float64Array());
  }
  return a;
}

Napi::Value Eigh(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 4 || !info[1].IsNumber()) {
    NAPI_THROW(Napi::TypeError::New(env, "eigh(a, n, values, vectors): expected 4 arguments"), env.Undefined());
  }
  const int64_t n64 = info[1].As<Napi::Number>().Int64Value();
  if (n64 < 0 || n64 > 46340) NAPI_THROW(Napi::RangeError::New(env, "eigh: n out of range"), env.Undefined());
  const Eigen::Index n = static_cast<Eigen::Index>(n64);
  const size_t nn = static_cast<size_t>(n) * static_cast<size_t>(n);
  auto a = checkedArray(info, 0, nn, "a");
  if (env.IsExceptionPending()) return env.Undefined();
  auto values = checkedArray(info, 2, static_cast<size_t>(n), "values");
  if (env.IsExceptionPending()) return env.Undefined();
  auto vectors = checkedArray(info, 3, nn, "vectors");
  if (env.IsExceptionPending()) return env.Undefined();
  if (n == 0) return env.Undefined();
  if (n == 1) {
    values[0] = a[0];
    vectors[0] = 1.0;
    return env.Undefined();
  }

  Eigen::Map<const Eigen::MatrixXd> A(a.Data(), n, n);
  Eigen::Tridiagonalization<Eigen::MatrixXd> tri(A.selfadjointView<Eigen::Lower>());
  Eigen::Map<Eigen::MatrixXd> Z(vectors.Data(), n, n);
  Z = tri.matrixQ();
  Eigen::VectorXd d = tri.diagonal();
  Eigen::VectorXd e(n);
  e.head(n - 1) = tri.subDiagonal();
  e[n - 1] = 0.0;

  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  const Eigen::Index threads = n >= 128 ? std::min<Eigen::Index>(hw, 8) : 1;
  // each thread rotates a private copy of its block of rows (column-major, leading dimension = block
  // height), so no cache line is shared between threads; blocks are copied back at the end
  const Eigen::Index per = (n + threads - 1) / threads;
  std::vector<Eigen::MatrixXd> blocks;
  std::vector<Eigen::Index> starts;
  for (Eigen::Index r0 = 0; r0 < n; r0 += per) {
    const Eigen::Index h = std::min(per, n - r0);
    blocks.emplace_back(Z.middleRows(r0, h));
    starts.push_back(r0);
  }
  auto apply = [&blocks](const std::vector<Rotation>& batch) {
    auto work = [&batch](Eigen::MatrixXd* b) { applyRotations(b->data(), b->rows(), batch, 0, b->rows()); };
    std::vector<std::thread> pool;
    for (size_t t = 1; t < blocks.size(); ++t) pool.emplace_back(work, &blocks[t]);
    work(&blocks[0]);
    for (auto& th : pool) th.join();
  };
  const size_t cap = size_t{1} << 21;  // 2M rotations (48 MB) per batch
  std::vector<Rotation> rot;
  rot.reserve(std::min(cap, static_cast<size_t>(n) * static_cast<size_t>(n)));
  if (!tridiagonalQL(d, e, rot, cap, apply)) {
    NAPI_THROW(Napi::Error::New(env, "eigh: QL iteration did not converge"), env.Undefined());
  }
  if (!rot.empty()) apply(rot);
  for (size_t t = 0; t < blocks.size(); ++t) Z.middleRows(starts[t], blocks[t].rows()) = blocks[t];
  Eigen::Map<Eigen::VectorXd>(values.Data(), n) = d;
  return env.Undefined();
}

// ---- PCA residual kernels (lib/signals/pca-residual.ts) ------------------------------------------
// The same arithmetic as the TypeScript path of pca-residual.ts, with the dense products done by
// Eigen's GEMM: one call per date, typed arrays in and out, so the N-API crossing is ~µs against
// ~ms of work. Every array is checked here so JavaScript gets a TypeError/RangeError, never a crash.
// Inputs are copied into Eigen-owned (aligned) matrices first: Eigen's vectorised loops peel to an
// alignment boundary, so working on JavaScript's buffers in place would make the rounding depend
// on where V8 happened to allocate them; the copies keep every result a pure function of the
// input values (bit-identical between a sweep and a single date, as the look-ahead tests demand).

Napi::Float64Array f64Arg(const Napi::CallbackInfo& info, size_t i, size_t expected, const char* fn, const char* name) {
  if (!info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    NAPI_THROW(Napi::TypeError::New(info.Env(), std::string(fn) + ": " + name + " must be a Float64Array"), Napi::Float64Array());
  }
  auto a = info[i].As<Napi::Float64Array>();
  if (a.ElementLength() != expected) {
    NAPI_THROW(Napi::RangeError::New(info.Env(), std::string(fn) + ": " + name + " must have length " + std::to_string(expected)), Napi::Float64Array());
  }
  return a;
}

bool intArgs(const Napi::CallbackInfo& info, const char* fn, std::initializer_list<size_t> idx, int64_t* out) {
  size_t o = 0;
  for (size_t i : idx) {
    if (!info[i].IsNumber()) {
      Napi::TypeError::New(info.Env(), std::string(fn) + ": argument " + std::to_string(i) + " must be a number").ThrowAsJavaScriptException();
      return false;
    }
    const double d = info[i].As<Napi::Number>().DoubleValue();
    if (!(d >= 0 && d <= 1e9) || d != std::floor(d)) {
      Napi::RangeError::New(info.Env(), std::string(fn) + ": argument " + std::to_string(i) + " must be a non-negative integer").ThrowAsJavaScriptException();
      return false;
    }
    out[o++] = static_cast<int64_t>(d);
  }
  return true;
}

// Modified Gram-Schmidt on the k contiguous columns of length n of m (same order as the TS path).
void mgs(double* m, Eigen::Index n, Eigen::Index k) {
  for (Eigen::Index c = 0; c < k; ++c) {
    double* mc = m + c * n;
    for (Eigen::Index q = 0; q < c; ++q) {
      const double* mq = m + q * n;
      double dot = 0;
      for (Eigen::Index i = 0; i < n; ++i) dot += mc[i] * mq[i];
      for (Eigen::Index i = 0; i < n; ++i) mc[i] -= dot * mq[i];
    }
    double norm = 0;
    for (Eigen::Index i = 0; i < n; ++i) norm += mc[i] * mc[i];
    norm = std::sqrt(norm);
    if (!(norm != 0)) norm = 1;
    for (Eigen::Index i = 0; i < n; ++i) mc[i] /= norm;
  }
}

// windowMoments(win W×nv col-major, W, nv, mu out, sigma out, inv out): mean, sample sd (ddof 1)
// and 1/sd (0 for a constant column) of each column.
Napi::Value WindowMoments(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* fn = "windowMoments";
  if (info.Length() != 6) NAPI_THROW(Napi::TypeError::New(env, "windowMoments(win, W, nv, mu, sigma, inv): expected 6 arguments"), env.Undefined());
  int64_t d[2];
  if (!intArgs(info, fn, {1, 2}, d)) return env.Undefined();
  const Eigen::Index W = d[0], nv = d[1];
  auto win = f64Arg(info, 0, static_cast<size_t>(W * nv), fn, "win");
  if (env.IsExceptionPending()) return env.Undefined();
  auto mu = f64Arg(info, 3, static_cast<size_t>(nv), fn, "mu");
  if (env.IsExceptionPending()) return env.Undefined();
  auto sigma = f64Arg(info, 4, static_cast<size_t>(nv), fn, "sigma");
  if (env.IsExceptionPending()) return env.Undefined();
  auto inv = f64Arg(info, 5, static_cast<size_t>(nv), fn, "inv");
  if (env.IsExceptionPending()) return env.Undefined();
  double* const pm = mu.Data();
  double* const ps = sigma.Data();
  double* const pi = inv.Data();
  Eigen::VectorXd c(W);  // aligned copy of one column (see above)
  for (Eigen::Index a = 0; a < nv; ++a) {
    // two passes as in the TS path; Eigen's vectorised reductions only reorder the sums
    c = Eigen::Map<const Eigen::VectorXd>(win.Data() + a * W, W);
    const double m = c.sum() / static_cast<double>(W);
    const double ss = (c.array() - m).square().sum();
    const double sd = std::sqrt(ss / static_cast<double>(W - 1));
    pm[a] = m;
    ps[a] = sd;
    pi[a] = sd > 0 ? 1 / sd : 0;
  }
  return env.Undefined();
}

// pcaTrack(win W×nv col-major, W, nv, mu, inv, v nv×k col-major (in/out), k, iters):
// orthonormalises v, then `iters` orthogonal iterations V ← orth(D⁻¹ Rᵀ (R D⁻¹ V − 1 μᵀ D⁻¹ V)),
// i.e. V ← orth(C V) for the correlation matrix C of the window, without forming C or Y.
Napi::Value PcaTrack(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* fn = "pcaTrack";
  if (info.Length() != 8) NAPI_THROW(Napi::TypeError::New(env, "pcaTrack(win, W, nv, mu, inv, v, k, iters): expected 8 arguments"), env.Undefined());
  int64_t d[4];
  if (!intArgs(info, fn, {1, 2, 6, 7}, d)) return env.Undefined();
  const Eigen::Index W = d[0], nv = d[1], k = d[2], iters = d[3];
  auto win = f64Arg(info, 0, static_cast<size_t>(W * nv), fn, "win");
  if (env.IsExceptionPending()) return env.Undefined();
  auto mu = f64Arg(info, 3, static_cast<size_t>(nv), fn, "mu");
  if (env.IsExceptionPending()) return env.Undefined();
  auto inv = f64Arg(info, 4, static_cast<size_t>(nv), fn, "inv");
  if (env.IsExceptionPending()) return env.Undefined();
  auto v = f64Arg(info, 5, static_cast<size_t>(nv * k), fn, "v");
  if (env.IsExceptionPending()) return env.Undefined();
  if (k == 0) return env.Undefined();
  const Eigen::MatrixXd R = Eigen::Map<const Eigen::MatrixXd>(win.Data(), W, nv);
  const Eigen::VectorXd Mu = Eigen::Map<const Eigen::VectorXd>(mu.Data(), nv);
  const Eigen::VectorXd Inv = Eigen::Map<const Eigen::VectorXd>(inv.Data(), nv);
  Eigen::MatrixXd V = Eigen::Map<const Eigen::MatrixXd>(v.Data(), nv, k);
  mgs(V.data(), nv, k);
  Eigen::MatrixXd Vs(nv, k), Z(W, k);
  for (Eigen::Index it = 0; it < iters; ++it) {
    Vs = Inv.asDiagonal() * V;
    const Eigen::RowVectorXd shift = Mu.transpose() * Vs;
    Z.noalias() = R * Vs;
    Z.rowwise() -= shift;
    V.noalias() = R.transpose() * Z;
    V = Inv.asDiagonal() * V;
    mgs(V.data(), nv, k);
  }
  Eigen::Map<Eigen::MatrixXd>(v.Data(), nv, k) = V;
  return env.Undefined();
}

// pcaResiduals(ou L×nv col-major, L, nv, q nv×k row-major, k, periodsPerYear, kappaMin, s out, kappa out):
// regress every column of ou on [1, ou·q] (normal equations, Cholesky), cumulate the residuals, fit
// the AR(1) and write κ (where 0 < b < 1) and the s-score (where also κ > κ_min); NaN elsewhere.
// Returns false (outputs NaN) when the regressors' Gram matrix is not positive definite.
Napi::Value PcaResiduals(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* fn = "pcaResiduals";
  if (info.Length() != 9 || !info[5].IsNumber() || !info[6].IsNumber()) {
    NAPI_THROW(Napi::TypeError::New(env, "pcaResiduals(ou, L, nv, q, k, periodsPerYear, kappaMin, s, kappa): expected 9 arguments"), env.Undefined());
  }
  int64_t d[3];
  if (!intArgs(info, fn, {1, 2, 4}, d)) return env.Undefined();
  const Eigen::Index L = d[0], nv = d[1], k = d[2];
  const double ppy = info[5].As<Napi::Number>().DoubleValue();
  const double kappaMin = info[6].As<Napi::Number>().DoubleValue();
  auto ou = f64Arg(info, 0, static_cast<size_t>(L * nv), fn, "ou");
  if (env.IsExceptionPending()) return env.Undefined();
  auto q = f64Arg(info, 3, static_cast<size_t>(nv * k), fn, "q");
  if (env.IsExceptionPending()) return env.Undefined();
  auto s = f64Arg(info, 7, static_cast<size_t>(nv), fn, "s");
  if (env.IsExceptionPending()) return env.Undefined();
  auto kap = f64Arg(info, 8, static_cast<size_t>(nv), fn, "kappa");
  if (env.IsExceptionPending()) return env.Undefined();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  double* const so = s.Data();
  double* const ko = kap.Data();
  for (Eigen::Index a = 0; a < nv; ++a) so[a] = ko[a] = nan;
  if (L < 3) return Napi::Boolean::New(env, false);
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Eigen::MatrixXd R = Eigen::Map<const Eigen::MatrixXd>(ou.Data(), L, nv);
  const Eigen::MatrixXd Q = Eigen::Map<const RowMajor>(q.Data(), nv, k);
  const Eigen::Index p = k + 1;
  Eigen::MatrixXd X(L, p);
  X.col(0).setOnes();
  X.rightCols(k).noalias() = R * Q;
  const Eigen::MatrixXd xtx = X.transpose() * X;
  // Cholesky with the TS path's test (a non-positive pivot fails)
  Eigen::LLT<Eigen::MatrixXd> llt(xtx);
  if (llt.info() != Eigen::Success) return Napi::Boolean::New(env, false);
  const Eigen::MatrixXd beta = llt.solve(X.transpose() * R);  // p × nv
  Eigen::MatrixXd E = R;
  E.noalias() -= X * beta;
  const Eigen::Index m = L - 1;
  for (Eigen::Index a = 0; a < nv; ++a) {
    double* x = E.col(a).data();
    for (Eigen::Index t = 1; t < L; ++t) x[t] += x[t - 1];
    double sx = 0, sy = 0;
    for (Eigen::Index t = 0; t < m; ++t) sx += x[t], sy += x[t + 1];
    const double mx = sx / m, my = sy / m;
    double sxx = 0, sxy = 0;
    for (Eigen::Index t = 0; t < m; ++t) {
      const double dx = x[t] - mx;
      sxx += dx * dx;
      sxy += dx * (x[t + 1] - my);
    }
    const double b = sxy / sxx;
    const double a0 = my - b * mx;
    double sz = 0;
    for (Eigen::Index t = 0; t < m; ++t) {
      const double z = x[t + 1] - a0 - b * x[t];
      sz += z * z;
    }
    const double varZ = sz / m;
    if (!(b > 0 && b < 1)) continue;
    const double kk = -std::log(b) * ppy;
    ko[a] = kk;
    if (!(kk > kappaMin)) continue;
    const double mean = a0 / (1 - b);
    const double sigEq = std::sqrt(varZ / (1 - b * b));
    so[a] = (x[L - 1] - mean) / sigEq;
  }
  return Napi::Boolean::New(env, true);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  // Eigen's own GEMM threads (OpenMP builds only): one by default, since the machines this runs on
  // are shared; STATARB_LINALG_THREADS=2 opts in
  int threads = 1;
  if (const char* t = std::getenv("STATARB_LINALG_THREADS")) threads = std::max(1, std::min(64, std::atoi(t)));
  Eigen::setNbThreads(threads);
  exports.Set("eigh", Napi::Function::New(env, Eigh, "eigh"));
  exports.Set("windowMoments", Napi::Function::New(env, WindowMoments, "windowMoments"));
  exports.Set("pcaTrack", Napi::Function::New(env, PcaTrack, "pcaTrack"));
  exports.Set("pcaResiduals", Napi::Function::New(env, PcaResiduals, "pcaResiduals"));
  exports.Set("backend", Napi::String::New(env, "eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
                                                    std::to_string(EIGEN_MINOR_VERSION) + " tridiagonalisation + threaded QL"));
  return exports;
}

}  // namespace

NODE_API_MODULE(statarb_linalg, Init)
