// statarb_linalg: symmetric eigen-decomposition for lib/stats (`eigh`).
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

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("eigh", Napi::Function::New(env, Eigh, "eigh"));
  exports.Set("backend", Napi::String::New(env, "eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
                                                    std::to_string(EIGEN_MINOR_VERSION) + " tridiagonalisation + threaded QL"));
  return exports;
}

}  // namespace

NODE_API_MODULE(statarb_linalg, Init)
