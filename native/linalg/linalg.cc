// statarb_linalg: symmetric eigen-decomposition for lib/stats (`eigh`), and the per-date dense
// kernels of lib/signals' PCA residual s-scores (`windowMoments`, `pcaTrack`, `pcaResiduals`, below).
// eigh: LAPACK's dsyevd algorithm (divide and conquer, Debian's 64-bit-integer OpenBLAS; its
// tridiagonal step in eigh_dc.cc with vectorised merges) when the build found it (STATARB_HAVE_DSYEVD); else — and always as `eighEigen` — Eigen's Householder tridiagonalisation
// (A = Q·T·Qᵀ, Q formed explicitly), then implicit QL with shifts on the tridiagonal T. QL itself is
// O(n²) and independent of the eigenvectors, so its Givens rotations are recorded and applied
// afterwards to Q in parallel row blocks (each row of Q is transformed independently) — the O(n³)
// part runs on every core with one synchronisation.
// One call: eigh(a: Float64Array (n×n column-major, lower triangle read, all n² checked finite), n, values out, vectors out);
// values come out ascending (LAPACK) or unsorted (Eigen path); lib/stats sorts when needed and fixes
// signs. Inputs are checked here so JavaScript always gets a TypeError/RangeError, never a crash.
#include <napi.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <string>
#include <limits>
#include <memory>
#include <new>
#include <thread>
#include <cstdint>
#include <utility>
#include <vector>
#ifdef __AVX2__
#include <immintrin.h>
#endif

#include "eigh_dc.h"
#include "napi_args.h"

void statarbRegisterRank(Napi::Env env, Napi::Object exports);  // rank.cc
void statarbRegisterOls(Napi::Env env, Napi::Object exports);   // ols.cc
void statarbRegisterAsof(Napi::Env env, Napi::Object exports);  // asof.cc
void statarbRegisterDuckRead(Napi::Env env, Napi::Object exports);  // duck_read.cc
void statarbRegisterHugeBuffer(Napi::Env env, Napi::Object exports);  // huge_buffer.cc

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

// Every error reaches JavaScript through raise(): it throws only when no exception is pending yet
// (node-addon-api aborts the process when napi_throw fails over a pending one), so a failed N-API
// call's own exception is the one JavaScript sees. Callers return right after it.
enum class ErrorKind { type, range, error };
void raise(Napi::Env env, ErrorKind kind, const std::string& msg) {
  if (env.IsExceptionPending()) return;
  if (kind == ErrorKind::type) Napi::TypeError::New(env, msg).ThrowAsJavaScriptException();
  else if (kind == ErrorKind::range) Napi::RangeError::New(env, msg).ThrowAsJavaScriptException();
  else Napi::Error::New(env, msg).ThrowAsJavaScriptException();
}

// Runs an entry point's body, turning C++ exceptions (allocation failure for a huge input, thread
// creation refused) into JavaScript errors instead of std::terminate.
template <class Body>
Napi::Value guarded(const Napi::CallbackInfo& info, const char* fn, Body&& body) {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    raise(info.Env(), ErrorKind::range, std::string(fn) + ": out of memory for an input of this size");
  } catch (const std::exception& e) {
    raise(info.Env(), ErrorKind::error, std::string(fn) + ": " + e.what());
  }
  return info.Env().Undefined();
}

#ifdef STATARB_HAVE_DSYEVD
// LAPACK's divide-and-conquer symmetric eigensolver from Debian's 64-bit-integer OpenBLAS
// (libopenblas64-pthread-dev: ILP64 interface, in its own directory, so the system BLAS is untouched).
// Fortran calling convention: every argument by pointer, then the hidden lengths of the two strings.
extern "C" void openblas_set_num_threads(int threads);
extern "C" void dsyevd_(const char* jobz, const char* uplo, const int64_t* n, double* a, const int64_t* lda, double* w, double* work,
                        const int64_t* lwork, int64_t* iwork, const int64_t* liwork, int64_t* info, size_t jobzLen, size_t uploLen);

// Eigenvalues ascending into w, eigenvectors into z (column-major, each column's sign fixed as
// lib/stats eigh does), from the lower triangle of a: dsyevd's own steps called one by one with the
// workspace sizes dsyevd gives them — dsytrd on a copy of the lower triangle, the tridiagonal's
// eigenvectors written straight into z by eigh_dc.cc's divide and conquer (dstedc's algorithm with
// vectorised merges: dsyevd's results to rounding, not bit for bit; dstedc itself when it declines),
// dormtr back-transforming z in place — without dsyevd's norm pass (dlansy: the max |a_ij| comes
// from the copy pass) and its final n×n copy (dlacpy from its workspace into a). Matrices dsyevd would scale (max |a_ij|
// outside [√(smlnum), √(1/smlnum)], ~1e-146…1e146) go to dsyevd itself. The workspace sizes are
// queried once per n and the workspace kept between calls (up to 16 MB: re-faulting ~2n² fresh
// doubles each call cost ~1 ms at n = 500). Every one of the n² values is checked to be finite.
// Returns LAPACK's info (0 = success; > 0 no convergence), kNonFinite for a NaN or ±Infinity in a,
// or kNoMemory when the workspace (≈ 2n² doubles) cannot be allocated — reported to JavaScript as
// an error, never an abort.
constexpr int64_t kNoMemory = std::numeric_limits<int64_t>::min();
constexpr int64_t kNonFinite = kNoMemory + 1;
void fixSign(double* z, int64_t n);
extern "C" void dsytrd_(const char* uplo, const int64_t* n, double* a, const int64_t* lda, double* d, double* e, double* tau,
                        double* work, const int64_t* lwork, int64_t* info, size_t);
extern "C" void dstedc_(const char* compz, const int64_t* n, double* d, double* e, double* z, const int64_t* ldz, double* work,
                        const int64_t* lwork, int64_t* iwork, const int64_t* liwork, int64_t* info, size_t);
extern "C" void dormtr_(const char* side, const char* uplo, const char* trans, const int64_t* m, const int64_t* n, const double* a,
                        const int64_t* lda, const double* tau, double* c, const int64_t* ldc, double* work, const int64_t* lwork,
                        int64_t* info, size_t, size_t, size_t);
struct DsyevdWorkspace {
  int64_t n = -1, lwork = 0, liwork = 0;  // dsyevd's optimal sizes for n
  std::vector<double> a, work;            // the lower triangle's copy; dsytrd's, dstedc's and dormtr's work
  std::vector<int64_t> iwork;
};

// Copies the lower triangle of the n×n column-major a into out (same layout) and checks all n²
// values; returns max |a_ij| over the lower triangle (dlansy 'M'), or NaN when any value is not finite.
double copyLowerChecked(const double* a, int64_t n, double* out) {
  // on the bits: |v| is v's bits without the sign, non-finite exactly when ≥ +Infinity's, and for
  // finite values the integer order of those bits is the numeric order — integer reductions the
  // compiler vectorises (a floating-point sum or max would be one long dependency chain)
  constexpr uint64_t kAbs = 0x7fffffffffffffffULL, kInf = 0x7ff0000000000000ULL;
  uint64_t bad = 0, big = 0;
  for (int64_t j = 0; j < n; ++j) {
    const double* col = a + j * n;
    for (int64_t i = 0; i < j; ++i) {
      uint64_t u;
      std::memcpy(&u, col + i, sizeof u);
      bad |= (u & kAbs) >= kInf;
    }
    for (int64_t i = j; i < n; ++i) {
      uint64_t u;
      std::memcpy(&u, col + i, sizeof u);
      out[j * n + i] = col[i];
      u &= kAbs;
      bad |= u >= kInf;
      big = std::max(big, u);
    }
  }
  double r;
  std::memcpy(&r, &big, sizeof r);
  return bad ? std::numeric_limits<double>::quiet_NaN() : r;
}

// dsyevd itself (on z, a copy of lower, the checked copy of a's lower triangle: dsyevd('L') reads
// nothing above the diagonal), for the matrices it scales.
int64_t dsyevdScaled(const double* lower, int64_t n, double* w, double* z, DsyevdWorkspace& ws) {
  std::copy(lower, lower + n * n, z);
  const char jobz = 'V', uplo = 'L';
  int64_t info = 0, lwork = ws.lwork, liwork = ws.liwork;
  dsyevd_(&jobz, &uplo, &n, z, &n, w, ws.work.data(), &lwork, ws.iwork.data(), &liwork, &info, 1, 1);
  return info;
}

int64_t eighLapack(const double* a, int64_t n, double* w, double* z) {
  thread_local DsyevdWorkspace ws;
  const char jobz = 'V', uplo = 'L', compz = 'I', side = 'L', trans = 'N';
  int64_t info = 0;
  if (ws.n != n) {
    int64_t lwork = -1, liwork = -1, iworkQuery = 0;
    double workQuery = 0.0;
    dsyevd_(&jobz, &uplo, &n, z, &n, w, &workQuery, &lwork, &iworkQuery, &liwork, &info, 1, 1);
    if (info != 0) return info;
    ws.n = n, ws.lwork = static_cast<int64_t>(workQuery), ws.liwork = iworkQuery;
  }
  // dsyevd's split of its workspace: e and tau (n each), then dsytrd's work (llwork), whose first n²
  // are the eigenvectors (here z itself) and the rest (llwrk2) dstedc's and dormtr's work
  const int64_t llwork = ws.lwork - 2 * n, llwrk2 = llwork - n * n;
  const size_t nn = static_cast<size_t>(n) * static_cast<size_t>(n);
  const bool keep = ws.lwork + static_cast<int64_t>(nn) <= (int64_t{2} << 20);  // ≤ 16 MB (n ≲ 700) kept for the next call
  try {
    if (ws.a.size() < nn) ws.a.resize(nn);
    if (static_cast<int64_t>(ws.work.size()) < ws.lwork) ws.work.resize(static_cast<size_t>(ws.lwork));
    if (static_cast<int64_t>(ws.iwork.size()) < ws.liwork) ws.iwork.resize(static_cast<size_t>(ws.liwork));
  } catch (const std::bad_alloc&) {
    ws = DsyevdWorkspace{};
    return kNoMemory;
  }
  const double anrm = copyLowerChecked(a, n, ws.a.data());
  const double smlnum = std::numeric_limits<double>::min() / std::numeric_limits<double>::epsilon();
  if (std::isnan(anrm)) info = kNonFinite;
  else if ((anrm > 0 && anrm < std::sqrt(smlnum)) || anrm > std::sqrt(1 / smlnum)) info = dsyevdScaled(ws.a.data(), n, w, z, ws);
  else {
    double *e = ws.work.data(), *tau = e + n, *work = tau + n;
    int64_t liwork = ws.liwork;
    dsytrd_(&uplo, &n, ws.a.data(), &n, w, e, tau, work, &llwork, &info, 1);
    // the tridiagonal's eigenvectors by eigh_dc.cc's divide and conquer (dstedc's algorithm, its
    // merges vectorised; the whole llwork is free here, z being the output), dstedc when it declines
    if (info == 0) info = eighTridiagonalDC(n, w, e, z, n, work, llwork, ws.iwork.data(), liwork);
    if (info == kDcNotHandled) info = 0, dstedc_(&compz, &n, w, e, z, &n, work, &llwrk2, ws.iwork.data(), &liwork, &info, 1);
    int64_t ormInfo = 0;
    if (info == 0) dormtr_(&side, &uplo, &trans, &n, &n, ws.a.data(), &n, tau, z, &n, work, &llwrk2, &ormInfo, 1, 1, 1);
  }
  if (!keep) {
    const int64_t keepN = ws.n, keepL = ws.lwork, keepI = ws.liwork;
    ws = DsyevdWorkspace{};
    ws.n = keepN, ws.lwork = keepL, ws.liwork = keepI;
  }
  if (info == 0) for (int64_t j = 0; j < n; ++j) fixSign(z + j * n, n);
  return info;
}

// ---- windowEigen: the correlation eigenportfolios of lib/signals' residualSignals ----------------
// BLAS/LAPACK from the same ILP64 OpenBLAS: C = YᵀY/(W − 1) (or its Gram YYᵀ/(W − 1) when nv > W)
// by dsyrk, Householder tridiagonalisation by dsytrd once, then every eigenvalue by dsterf (O(n²))
// but eigenvectors only for the top k (dstein on the tridiagonal, dormtr back-transform:
// O(n²k) instead of dsyevd's O(n³)); on the Gram path v = Yᵀu/√((W − 1)λ) by dgemm.
extern "C" void dsyrk_(const char* uplo, const char* trans, const int64_t* n, const int64_t* k, const double* alpha, const double* a,
                       const int64_t* lda, const double* beta, double* c, const int64_t* ldc, size_t, size_t);
extern "C" void dgemm_(const char* ta, const char* tb, const int64_t* m, const int64_t* n, const int64_t* k, const double* alpha,
                       const double* a, const int64_t* lda, const double* b, const int64_t* ldb, const double* beta, double* c,
                       const int64_t* ldc, size_t, size_t);
extern "C" void dsterf_(const int64_t* n, double* d, double* e, int64_t* info);
extern "C" void dstein_(const int64_t* n, const double* d, const double* e, const int64_t* m, const double* w, const int64_t* iblock,
                        const int64_t* isplit, double* z, const int64_t* ldz, double* work, int64_t* iwork, int64_t* ifail, int64_t* info);

// Flips column j of z (n rows) so that its entry of largest magnitude is positive (first such entry
// on ties, within 1e-12 relative) — lib/stats eigh's sign convention.
void fixSign(double* z, int64_t n) {
  double big = 0.0, sgn = 1.0;
  for (int64_t i = 0; i < n; ++i) {
    const double ax = std::abs(z[i]);
    if (ax > big * (1 + 1e-12)) big = ax, sgn = z[i] < 0 ? -1.0 : 1.0;
  }
  if (sgn < 0) for (int64_t i = 0; i < n; ++i) z[i] = -z[i];
}

// Every eigenvalue of the tridiagonal (d, e), split into unreduced blocks by dstebz's criterion and
// each block's values by dsterf, as (value, 1-based block) pairs; isplit gets each block's last
// 1-based row. Returns dsterf's first non-zero info, or 0.
struct TaggedValue {
  double value;
  int64_t block;
};
int64_t blockValues(const std::vector<double>& d, const std::vector<double>& e, std::vector<int64_t>& isplit, std::vector<TaggedValue>& out) {
  const int64_t n = static_cast<int64_t>(d.size());
  const double ulp = std::numeric_limits<double>::epsilon(), safmin = std::numeric_limits<double>::min();
  isplit.clear();
  for (int64_t j = 1; j < n; ++j) {
    if (std::abs(d[j] * d[j - 1]) * ulp * ulp + safmin > e[j - 1] * e[j - 1]) isplit.push_back(j);
  }
  isplit.push_back(n);
  out.clear();
  int64_t start = 0, info = 0;
  std::vector<double> bd, be;
  for (size_t b = 0; b < isplit.size(); ++b) {
    const int64_t len = isplit[b] - start;
    bd.assign(d.begin() + start, d.begin() + start + len);
    be.assign(e.begin() + start, e.begin() + start + std::max<int64_t>(len - 1, 0));
    be.push_back(0.0);
    dsterf_(&len, bd.data(), be.data(), &info);
    if (info != 0) return info;
    for (double v : bd) out.push_back({v, static_cast<int64_t>(b) + 1});
    start = isplit[b];
  }
  return 0;
}

// Top-k eigenvectors (descending eigenvalue, sign-fixed) of the symmetric dim×dim g (lower triangle
// holds dsytrd's reflectors on return) into u (dim × k column-major); every eigenvalue, descending,
// into values. Tridiagonal eigenvectors by inverse iteration (dstein) at dsterf's eigenvalues, as
// dsyevx does with dstebz's. Returns LAPACK's first non-zero info, or 0.
int64_t topEigen(std::vector<double>& g, int64_t dim, int64_t k, double* values, std::vector<double>& u) {
  const char L = 'L';
  int64_t info = 0, lwork = -1;
  std::vector<double> d(dim), e(std::max<int64_t>(dim - 1, 1)), tau(std::max<int64_t>(dim - 1, 1));
  double q = 0.0;
  dsytrd_(&L, &dim, g.data(), &dim, d.data(), e.data(), tau.data(), &q, &lwork, &info, 1);
  if (info != 0) return info;
  lwork = std::max<int64_t>(static_cast<int64_t>(q), dim * 64);  // also dormtr's (n·nb for k ≤ dim columns)
  std::vector<double> work(static_cast<size_t>(std::max<int64_t>(lwork, 5 * dim)));
  dsytrd_(&L, &dim, g.data(), &dim, d.data(), e.data(), tau.data(), work.data(), &lwork, &info, 1);
  if (info != 0) return info;
  std::vector<int64_t> isplit;
  std::vector<TaggedValue> all;
  if ((info = blockValues(d, e, isplit, all)) != 0) return info;
  // descending by value; ties keep block order, so the choice of the top k is deterministic
  std::stable_sort(all.begin(), all.end(), [](const TaggedValue& x, const TaggedValue& y) { return x.value > y.value; });
  for (int64_t i = 0; i < dim; ++i) values[i] = all[i].value;
  if (k == 0) return 0;
  // dstein wants the wanted values grouped by block, ascending within each block
  std::vector<int64_t> pick(k);
  for (int64_t j = 0; j < k; ++j) pick[j] = j;
  std::stable_sort(pick.begin(), pick.end(), [&all](int64_t x, int64_t y) {
    return all[x].block != all[y].block ? all[x].block < all[y].block : all[x].value < all[y].value;
  });
  std::vector<double> w(k);
  std::vector<int64_t> iblock(k), iwork(dim), ifail(k);
  for (int64_t j = 0; j < k; ++j) w[j] = all[pick[j]].value, iblock[j] = all[pick[j]].block;
  std::vector<double> z(static_cast<size_t>(dim * k));
  dstein_(&dim, d.data(), e.data(), &k, w.data(), iblock.data(), isplit.data(), z.data(), &dim, work.data(), iwork.data(), ifail.data(), &info);
  if (info != 0) return info;
  const char N = 'N';
  dormtr_(&L, &L, &N, &dim, &k, g.data(), &dim, tau.data(), z.data(), &dim, work.data(), &lwork, &info, 1, 1, 1);
  if (info != 0) return info;
  u.resize(static_cast<size_t>(dim * k));
  for (int64_t j = 0; j < k; ++j) {  // column j of z holds the eigenvector of all[pick[j]] = the pick[j]-th largest
    std::copy(z.begin() + j * dim, z.begin() + (j + 1) * dim, u.begin() + pick[j] * dim);
    fixSign(u.data() + pick[j] * dim, dim);
  }
  return 0;
}

// Eigen-decomposition of a returns window (R: W × nv column-major, each column standardised here
// to mean 0 and sample sd 1, the sds into sigma; a constant column becomes 0): every eigenvalue of
// the smaller of C = RᵀR/(W − 1) and the Gram matrix RRᵀ/(W − 1), descending, into values, and the
// top k unit eigenvectors of C as rows of vectors (k × nv). Returns LAPACK's info (0 = success).
int64_t windowEigen(Eigen::MatrixXd& R, int64_t k, double* values, double* vectors, double* sigma) {
  const int64_t W = R.rows(), nv = R.cols();
  for (int64_t a = 0; a < nv; ++a) {  // the arithmetic of residual-signals.ts' standardised()
    double* c = R.col(a).data();
    double m = 0.0, ss = 0.0;
    for (int64_t i = 0; i < W; ++i) m += c[i];
    m /= static_cast<double>(W);
    for (int64_t i = 0; i < W; ++i) ss += (c[i] - m) * (c[i] - m);
    const double sd = std::sqrt(ss / static_cast<double>(W - 1));
    sigma[a] = sd;
    const double f = sd > 0 ? 1 / sd : 0.0;
    for (int64_t i = 0; i < W; ++i) c[i] = (c[i] - m) * f;
  }
  const bool primal = nv <= W;
  const int64_t dim = primal ? nv : W;
  std::vector<double> g(static_cast<size_t>(dim * dim), 0.0);
  const char L = 'L', N = 'N', T = 'T';
  const double alpha = 1.0 / static_cast<double>(W - 1), zero = 0.0, one = 1.0;
  if (primal) dsyrk_(&L, &T, &nv, &W, &alpha, R.data(), &W, &zero, g.data(), &dim, 1, 1);
  else dsyrk_(&L, &N, &W, &nv, &alpha, R.data(), &W, &zero, g.data(), &dim, 1, 1);
  std::vector<double> u;
  const int64_t info = topEigen(g, dim, k, values, u);
  if (info != 0 || k == 0) return info;
  if (primal) {
    std::copy(u.begin(), u.end(), vectors);
    return 0;
  }
  dgemm_(&T, &N, &nv, &k, &W, &one, R.data(), &W, u.data(), &W, &zero, vectors, &nv, 1, 1);
  for (int64_t j = 0; j < k; ++j) {
    const double lambda = values[j];
    const double scale = lambda > 0 ? 1 / std::sqrt(static_cast<double>(W - 1) * lambda) : 0.0;
    for (int64_t i = 0; i < nv; ++i) vectors[j * nv + i] *= scale;
  }
  return 0;
}
#endif

// Eigen's Householder tridiagonalisation, then QL with the rotations applied to Q in parallel row
// blocks. Values unsorted. Returns false if QL does not converge.
bool eighEigen(const double* a, Eigen::Index n, double* w, double* z) {
  Eigen::Map<const Eigen::MatrixXd> A(a, n, n);
  Eigen::Tridiagonalization<Eigen::MatrixXd> tri(A.selfadjointView<Eigen::Lower>());
  Eigen::Map<Eigen::MatrixXd> Z(z, n, n);
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
  if (!tridiagonalQL(d, e, rot, cap, apply)) return false;
  if (!rot.empty()) apply(rot);
  for (size_t t = 0; t < blocks.size(); ++t) Z.middleRows(starts[t], blocks[t].rows()) = blocks[t];
  Eigen::Map<Eigen::VectorXd>(w, n) = d;
  return true;
}

// eigh(a, n, values, vectors) with the build's solver (LAPACK dsyevd when linked, else Eigen); with
// `eigenOnly` always Eigen's (exported as eighEigen for comparisons). A non-finite value anywhere in
// a is refused here (LAPACK would return NaN or fail to converge; lib/stats eigh relies on this check
// instead of a pass of its own), with lib/stats eigh's message.
// Arguments by napi_args.h's ArgReader (each read once, every status checked): n an integer in
// [0, 46340] (n² fits the int32 LAPACK never sees and a typed array's length), a of exactly n² and
// values of n elements, vectors of n²; values and vectors may share memory neither with each other
// nor with a (the solver writes them while it may still read a).
Napi::Value EighWith(const Napi::CallbackInfo& info, bool eigenOnly) {
  statarb::ArgReader A(info, "eigh", 4, 4, "eigh(a, n, values, vectors): 4 arguments");
  const int64_t n64 = A.integer(1, "n", 0, 46340);
  const size_t nn = static_cast<size_t>(n64) * static_cast<size_t>(n64);
  const double* pa = A.f64(0, static_cast<int64_t>(nn), "a", false, true);
  double* values = A.f64(2, n64, "values", true, true);
  double* vectors = A.f64(3, static_cast<int64_t>(nn), "vectors", true, true);
  Napi::Env env = info.Env();
  if (!A.disjoint()) return env.Undefined();
  const Eigen::Index n = static_cast<Eigen::Index>(n64);
  const char* nonFinite = "eigh: matrix contains NaN or infinite values";
#ifdef STATARB_HAVE_DSYEVD
  if (!eigenOnly && n > 1) {  // eighLapack checks every value while it copies the lower triangle
    const int64_t rc = eighLapack(pa, n64, values, vectors);
    if (rc == kNonFinite) raise(env, ErrorKind::range, nonFinite);
    else if (rc == kNoMemory) raise(env, ErrorKind::range, "eigh: out of memory for the LAPACK workspace (n = " + std::to_string(n64) + ")");
    else if (rc != 0) raise(env, ErrorKind::error, "eigh: LAPACK dsyevd failed (info " + std::to_string(rc) + ")");
    return rc == 0 ? Napi::Value(Napi::Boolean::New(env, true)) : env.Undefined();  // true: ascending, signs fixed
  }
#else
  (void)eigenOnly;
#endif
  // one read of a (a SharedArrayBuffer's values cannot change between the check and the solve)
  const std::vector<double> copy(pa, pa + nn);
  double probe = 0.0;  // Σ a·0 over all n² values: NaN when any is NaN or ±Infinity
  for (size_t i = 0; i < nn; ++i) probe += copy[i] * 0.0;
  if (probe != 0) return raise(env, ErrorKind::range, nonFinite), env.Undefined();
  if (n == 0) return env.Undefined();
  if (n == 1) {
    values[0] = copy[0];
    vectors[0] = 1.0;
    return env.Undefined();
  }
  if (!eighEigen(copy.data(), n, values, vectors)) raise(env, ErrorKind::error, "eigh: QL iteration did not converge");
  return env.Undefined();
}

Napi::Value Eigh(const Napi::CallbackInfo& info) {
  return guarded(info, "eigh", [&] { return EighWith(info, false); });
}
Napi::Value EighEigen(const Napi::CallbackInfo& info) {
  return guarded(info, "eighEigen", [&] { return EighWith(info, true); });
}

// ---- PCA residual kernels (lib/signals/pca-residual.ts) ------------------------------------------
// The same arithmetic as the TypeScript path of pca-residual.ts, with the dense products done by
// Eigen's GEMM: one call per date, typed arrays in and out, so the N-API crossing is ~µs against
// ~ms of work. Every array is checked here so JavaScript gets a TypeError/RangeError, never a crash.
// Inputs are copied into Eigen-owned (aligned) matrices first: Eigen's vectorised loops peel to an
// alignment boundary, so working on JavaScript's buffers in place would make the rounding depend
// on where V8 happened to allocate them; the copies keep every result a pure function of the
// input values (bit-identical between a sweep and a single date, as the look-ahead tests demand).

// Modified Gram-Schmidt on the columns of m (same order as the TS path; Eigen's vectorised dot
// products only reorder each sum, which a serial loop would leave latency-bound).
void mgs(Eigen::MatrixXd& m) {
  for (Eigen::Index c = 0; c < m.cols(); ++c) {
    for (Eigen::Index q = 0; q < c; ++q) {
      const double dot = m.col(c).dot(m.col(q));
      m.col(c) -= dot * m.col(q);
    }
    double norm = m.col(c).norm();
    if (!(norm != 0)) norm = 1;
    m.col(c) /= norm;
  }
}

constexpr int64_t kMaxCount = 1000000000;  // the window kernels' counts (ld, row0, rows, k, …)

// A window of a column-major source matrix (leading dimension ld): rows [row0, row0 + rows) of the
// columns listed in cols. JavaScript passes it as five arguments (src, ld, cols, row0, rows) so it
// never has to copy the window itself.
struct Window {
  const double* src = nullptr;
  size_t srcLength = 0;  // src's elements (its memory, for the overlap checks)
  Eigen::Index ld = 0, row0 = 0, rows = 0;
  std::vector<Eigen::Index> cols;
  Eigen::Index size() const { return static_cast<Eigen::Index>(cols.size()); }
  // the window as an Eigen-owned (aligned) rows × cols matrix
  Eigen::MatrixXd gather() const {
    Eigen::MatrixXd m(rows, size());
    for (Eigen::Index c = 0; c < size(); ++c) m.col(c) = Eigen::Map<const Eigen::VectorXd>(src + cols[c] * ld + row0, rows);
    return m;
  }
};

// The window (src, ld, cols, row0, rows) at arguments i … i + 4 (napi_args.h's reader: each value
// once, every status checked; counts at most 1e9); cols copied into w.
bool windowArg(statarb::ArgReader& A, size_t i, Window& w) {
  int64_t len = 0, ncols = 0;
  const double* src = A.f64(i, 0, "src", false, false, &len);
  const int64_t ld = A.count(i + 1, "ld", kMaxCount);
  const int32_t* c = A.i32(i + 2, "cols", &ncols);
  const int64_t row0 = A.count(i + 3, "row0", kMaxCount), rows = A.count(i + 4, "rows", kMaxCount);
  if (!A.ok()) return false;
  if (ld < 1) return A.fail("ld must be positive"), false;
  if (row0 + rows > ld) return A.fail("row0 + rows exceeds ld"), false;
  const int64_t ncol = len / ld;
  w.src = src;
  w.srcLength = static_cast<size_t>(len);
  w.ld = ld;
  w.row0 = row0;
  w.rows = rows;
  w.cols.resize(static_cast<size_t>(ncols));
  for (size_t a = 0; a < w.cols.size(); ++a) {
    if (c[a] < 0 || c[a] >= ncol) return A.fail("cols[" + std::to_string(a) + "] = " + std::to_string(c[a]) + " is outside the source's " + std::to_string(ncol) + " columns"), false;
    w.cols[a] = c[a];
  }
  return true;
}

// windowMoments(src, ld, cols, row0, W, mu out, sigma out, inv out): mean, sample sd (ddof 1) and
// 1/sd (0 for a constant column) of each column of the window.
Napi::Value WindowMomentsBody(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  statarb::ArgReader A(info, "windowMoments", 8, 8, "8 arguments (src, ld, cols, row0, W, mu, sigma, inv)");
  Window w;
  if (!windowArg(A, 0, w)) return env.Undefined();
  const Eigen::Index W = w.rows, nv = w.size();
  double* const pm = A.f64(5, nv, "mu", true, true);
  double* const ps = A.f64(6, nv, "sigma", true, true);
  double* const pi = A.f64(7, nv, "inv", true, true);
  if (!A.disjoint()) return env.Undefined();
  Eigen::VectorXd c(W);  // aligned copy of one column (see above)
  for (Eigen::Index a = 0; a < nv; ++a) {
    // two passes as in the TS path; Eigen's vectorised reductions only reorder the sums
    c = Eigen::Map<const Eigen::VectorXd>(w.src + w.cols[a] * w.ld + w.row0, W);
    const double m = c.sum() / static_cast<double>(W);
    const double ss = (c.array() - m).square().sum();
    const double sd = std::sqrt(ss / static_cast<double>(W - 1));
    pm[a] = m;
    ps[a] = sd;
    pi[a] = sd > 0 ? 1 / sd : 0;
  }
  return env.Undefined();
}

// pcaTrack(src, ld, cols, row0, W, mu, inv, v nv×k col-major (in/out), k, iters): orthonormalises
// v, then `iters` orthogonal iterations V ← orth(D⁻¹ Rᵀ (R D⁻¹ V − 1 μᵀ D⁻¹ V)) on the window R,
// i.e. V ← orth(C V) for the window's correlation matrix C, without forming C or the standardised Y.
Napi::Value PcaTrackBody(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  // v is read (copied) before anything is written: it may share memory with the inputs
  statarb::ArgReader A(info, "pcaTrack", 10, 10, "10 arguments (src, ld, cols, row0, W, mu, inv, v, k, iters)");
  Window w;
  if (!windowArg(A, 0, w)) return env.Undefined();
  const Eigen::Index W = w.rows, nv = w.size(), k = A.count(8, "k", kMaxCount), iters = A.count(9, "iters", kMaxCount);
  const double* mu = A.f64(5, nv, "mu", false, true);
  const double* inv = A.f64(6, nv, "inv", false, true);
  double* v = A.f64(7, nv * k, "v", false, true);
  if (!A.ok() || k == 0) return env.Undefined();
  const Eigen::MatrixXd R = w.gather();
  const Eigen::VectorXd Mu = Eigen::Map<const Eigen::VectorXd>(mu, nv);
  const Eigen::VectorXd Inv = Eigen::Map<const Eigen::VectorXd>(inv, nv);
  Eigen::MatrixXd V = Eigen::Map<const Eigen::MatrixXd>(v, nv, k);
  mgs(V);
  Eigen::MatrixXd Vs(nv, k), Z(W, k);
  for (Eigen::Index it = 0; it < iters; ++it) {
    Vs = Inv.asDiagonal() * V;
    const Eigen::RowVectorXd shift = Mu.transpose() * Vs;
    Z.noalias() = R * Vs;
    Z.rowwise() -= shift;
    V.noalias() = R.transpose() * Z;
    V = Inv.asDiagonal() * V;
    mgs(V);
  }
  Eigen::Map<Eigen::MatrixXd>(v, nv, k) = V;
  return env.Undefined();
}

// pcaResiduals(src, ld, cols, row0, L, q nv×k row-major, k, periodsPerYear, kappaMin, s out, kappa out):
// regress every column of the L-row window on [1, window·q] (normal equations, Cholesky), cumulate
// the residuals, fit the AR(1) and write κ (where 0 < b < 1) and the s-score (where also κ > κ_min);
// NaN elsewhere. Returns false (outputs NaN) when the regressors' Gram matrix is not positive definite.
Napi::Value PcaResidualsBody(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  statarb::ArgReader A(info, "pcaResiduals", 11, 11, "11 arguments (src, ld, cols, row0, L, q, k, periodsPerYear, kappaMin, s, kappa)");
  Window w;
  if (!windowArg(A, 0, w)) return env.Undefined();
  const Eigen::Index L = w.rows, nv = w.size(), k = A.count(6, "k", kMaxCount);
  const double ppy = A.number(7, "periodsPerYear"), kappaMin = A.number(8, "kappaMin");
  const double* qd = A.f64(5, nv * k, "q", false, true);
  double* const so = A.f64(9, nv, "s", true, true);
  double* const ko = A.f64(10, nv, "kappa", true, true);
  if (!A.disjoint()) return env.Undefined();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (Eigen::Index a = 0; a < nv; ++a) so[a] = ko[a] = nan;
  if (L < 3) return Napi::Boolean::New(env, false);
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Eigen::MatrixXd R = w.gather();
  const Eigen::MatrixXd Q = Eigen::Map<const RowMajor>(qd, nv, k);
  const Eigen::Index p = k + 1;
  Eigen::MatrixXd X(L, p);
  X.col(0).setOnes();
  X.rightCols(k).noalias() = R * Q;
  const Eigen::MatrixXd xtx = X.transpose() * X;
  // Cholesky with the TS path's test (a non-positive pivot fails)
  Eigen::LLT<Eigen::MatrixXd> llt(xtx);
  if (llt.info() != Eigen::Success) return Napi::Boolean::New(env, false);
  const Eigen::MatrixXd beta = llt.solve(X.transpose() * R);  // p × nv
  // residuals transposed (nv × L): every step below is then one vector operation across all
  // assets, while each asset's sums still run over t in the TS path's order
  Eigen::MatrixXd Et = R.transpose();
  Et.noalias() -= beta.transpose() * X.transpose();
  for (Eigen::Index t = 1; t < L; ++t) Et.col(t) += Et.col(t - 1);
  const Eigen::Index m = L - 1;
  Eigen::ArrayXd sx = Eigen::ArrayXd::Zero(nv), sy = Eigen::ArrayXd::Zero(nv);
  for (Eigen::Index t = 0; t < m; ++t) {
    sx += Et.col(t).array();
    sy += Et.col(t + 1).array();
  }
  const Eigen::ArrayXd mx = sx / static_cast<double>(m), my = sy / static_cast<double>(m);
  Eigen::ArrayXd sxx = Eigen::ArrayXd::Zero(nv), sxy = Eigen::ArrayXd::Zero(nv);
  for (Eigen::Index t = 0; t < m; ++t) {
    const Eigen::ArrayXd dx = Et.col(t).array() - mx;
    sxx += dx * dx;
    sxy += dx * (Et.col(t + 1).array() - my);
  }
  const Eigen::ArrayXd b = sxy / sxx;
  const Eigen::ArrayXd a0 = my - b * mx;
  Eigen::ArrayXd sz = Eigen::ArrayXd::Zero(nv);
  for (Eigen::Index t = 0; t < m; ++t) {
    const Eigen::ArrayXd z = Et.col(t + 1).array() - a0 - b * Et.col(t).array();
    sz += z * z;
  }
  for (Eigen::Index a = 0; a < nv; ++a) {
    const double ba = b[a];
    if (!(ba > 0 && ba < 1)) continue;
    const double kk = -std::log(ba) * ppy;
    ko[a] = kk;
    if (!(kk > kappaMin)) continue;
    const double varZ = sz[a] / static_cast<double>(m);
    const double mean = a0[a] / (1 - ba);
    const double sigEq = std::sqrt(varZ / (1 - ba * ba));
    so[a] = (Et(a, L - 1) - mean) / sigEq;
  }
  return Napi::Boolean::New(env, true);
}

#ifdef STATARB_HAVE_DSYEVD
// windowEigen(src, ld, cols, row0, W, k, values out (min(W, nv)), vectors out (k × nv), sigma out (nv)):
// see windowEigen above; the window is rows [row0, row0 + W) of the columns cols of the column-major
// src. Every argument is read once, each status checked; a non-finite value in the window is a
// RangeError (LAPACK's iterations would run on NaN); W ≥ 2, 0 ≤ k ≤ min(W, nv).
Napi::Value WindowEigenBody(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  statarb::ArgReader A(info, "windowEigen", 9, 9, "9 arguments (src, ld, cols, row0, W, k, values, vectors, sigma)");
  Window w;
  if (!windowArg(A, 0, w)) return env.Undefined();
  const int64_t W = w.rows, nv = w.size(), k = A.count(5, "k", kMaxCount);
  if (!A.ok()) return env.Undefined();
  if (W < 2 || nv < 1) return raise(env, ErrorKind::range, "windowEigen: W must be at least 2 and cols non-empty"), env.Undefined();
  const int64_t dim = std::min(W, nv);
  if (dim > 46340) return raise(env, ErrorKind::range, "windowEigen: min(W, nv) must be at most 46340, got " + std::to_string(dim)), env.Undefined();
  if (k > dim) return raise(env, ErrorKind::range, "windowEigen: k (" + std::to_string(k) + ") must be at most min(W, nv) = " + std::to_string(dim)), env.Undefined();
  double* values = A.f64(6, dim, "values", true, true);
  double* vectors = A.f64(7, k * nv, "vectors", true, true);
  double* sigma = A.f64(8, nv, "sigma", true, true);
  if (!A.disjoint(true)) return env.Undefined();  // outputs may alias src (copied first), not each other
  Eigen::MatrixXd R = w.gather();  // own copy: the outputs may alias src
  if (!R.allFinite()) return raise(env, ErrorKind::range, "windowEigen: the window contains NaN or infinite values"), env.Undefined();
  const int64_t rc = windowEigen(R, k, values, vectors, sigma);
  if (rc != 0) raise(env, ErrorKind::error, "windowEigen: LAPACK failed (info " + std::to_string(rc) + ")");
  return env.Undefined();
}
// gram(src, ld, cols, row0, rows, out m×m): out = RᵀR for the window R (rows × m, m = cols.length)
// of the column-major src, by BLAS dsyrk on an own copy of the window; both triangles written.
Napi::Value GramBody(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  statarb::ArgReader A(info, "gram", 6, 6, "6 arguments (src, ld, cols, row0, rows, out)");
  Window w;
  if (!windowArg(A, 0, w)) return env.Undefined();
  const int64_t rows = w.rows, m = w.size();
  if (m > 46340) return A.fail("at most 46340 columns, got " + std::to_string(m)), env.Undefined();
  double* g = A.f64(5, m * m, "out", true, true);
  if (!A.ok() || m == 0) return env.Undefined();
  Eigen::MatrixXd R = w.gather();  // own copy: out may alias src
  if (rows == 0) {
    std::fill(g, g + m * m, 0.0);
    return env.Undefined();
  }
  const char L = 'L', T = 'T';
  const double one = 1.0, zero = 0.0;
  std::vector<double> c(static_cast<size_t>(m * m), 0.0);
  dsyrk_(&L, &T, &m, &rows, &one, R.data(), &rows, &zero, c.data(), &m, 1, 1);
  for (int64_t j = 0; j < m; ++j) {
    for (int64_t i = j; i < m; ++i) g[j * m + i] = g[i * m + j] = c[j * m + i];
  }
  return env.Undefined();
}
Napi::Value Gram(const Napi::CallbackInfo& info) {
  return guarded(info, "gram", [&] { return GramBody(info); });
}
Napi::Value WindowEigen(const Napi::CallbackInfo& info) {
  return guarded(info, "windowEigen", [&] { return WindowEigenBody(info); });
}
#endif

// residualFits(src, ld, cols, row0, L, q k×nv row-major, k, beta out nv×k, kappa, m, sigmaEq, last):
// lib/signals' residualSignals fits for one PCA design — every column of the L-row window regressed
// on [1, window·qᵀ] (normal equations, Cholesky), residuals cumulated, AR(1) x_{t+1} = a + b x_t with
// κ = −ln b per period, m = a/(1 − b), σ_eq = √(Σζ²/(L − 1)/(1 − b²)) where 0 < b < 1 (else NaN),
// last = x_L, and the factor betas (intercept dropped). false (outputs untouched) when XᵀX is not
// positive definite: the caller then takes its TypeScript path.
// Aliasing: an output may share memory with src, q or cols — all three are copied (windowArg copies
// cols, residualFitsCore gathers the window and copies q) before the first output is written, and
// nothing reads them after; so such a call gives the values of a call with separate outputs (tested
// in test/stats/native-window.test.ts). An output over another output is refused (RangeError naming
// both, nothing written), as windowEigen does: the kernel writes kappa, m, sigmaEq, last and beta
// asset by asset, so overlapping outputs would silently hold a mix of two results. lib's one caller
// (nativeResidualFits) passes five fresh arrays.
struct FitsOut {
  double *beta, *kappa, *m, *sigmaEq, *last;
};
bool residualFitsCore(const Window& w, const double* q, Eigen::Index k, const FitsOut& out) {
  const Eigen::Index L = w.rows, nv = w.size(), p = k + 1;
  const Eigen::MatrixXd R = w.gather();
  const Eigen::MatrixXd Qt = Eigen::Map<const Eigen::MatrixXd>(q, nv, k);  // aligned copy of qᵀ
  Eigen::MatrixXd X(L, p);
  X.col(0).setOnes();
  X.rightCols(k).noalias() = R * Qt;
  const Eigen::MatrixXd xtx = X.transpose() * X;
  Eigen::LLT<Eigen::MatrixXd> llt(xtx);
  if (llt.info() != Eigen::Success) return false;
  const Eigen::MatrixXd beta = llt.solve(X.transpose() * R);  // p × nv
  Eigen::MatrixXd Et = R.transpose();
  Et.noalias() -= beta.transpose() * X.transpose();
  for (Eigen::Index t = 1; t < L; ++t) Et.col(t) += Et.col(t - 1);
  const Eigen::Index m = L - 1;
  Eigen::ArrayXd sx = Eigen::ArrayXd::Zero(nv), sy = Eigen::ArrayXd::Zero(nv);
  for (Eigen::Index t = 0; t < m; ++t) sx += Et.col(t).array(), sy += Et.col(t + 1).array();
  const Eigen::ArrayXd mx = sx / static_cast<double>(m), my = sy / static_cast<double>(m);
  Eigen::ArrayXd sxx = Eigen::ArrayXd::Zero(nv), sxy = Eigen::ArrayXd::Zero(nv);
  for (Eigen::Index t = 0; t < m; ++t) {
    const Eigen::ArrayXd dx = Et.col(t).array() - mx;
    sxx += dx * dx;
    sxy += dx * (Et.col(t + 1).array() - my);
  }
  const Eigen::ArrayXd b = sxy / sxx;
  const Eigen::ArrayXd a0 = my - b * mx;
  Eigen::ArrayXd sz = Eigen::ArrayXd::Zero(nv);
  for (Eigen::Index t = 0; t < m; ++t) sz += (Et.col(t + 1).array() - a0 - b * Et.col(t).array()).square();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (Eigen::Index a = 0; a < nv; ++a) {
    const double ba = b[a];
    const bool mr = ba > 0 && ba < 1;
    out.kappa[a] = mr ? -std::log(ba) : nan;
    out.m[a] = mr ? a0[a] / (1 - ba) : nan;
    out.sigmaEq[a] = mr ? std::sqrt(sz[a] / static_cast<double>(m) / (1 - ba * ba)) : nan;
    out.last[a] = Et(a, L - 1);
    for (Eigen::Index j = 0; j < k; ++j) out.beta[a * k + j] = beta(j + 1, a);
  }
  return true;
}

Napi::Value ResidualFitsBody(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  // src, cols and q are copied before any output is written (so the outputs may alias them); the
  // outputs may not share memory with one another (refused by name)
  statarb::ArgReader A(info, "residualFits", 12, 12, "12 arguments (src, ld, cols, row0, L, q, k, beta, kappa, m, sigmaEq, last)");
  Window w;
  if (!windowArg(A, 0, w)) return env.Undefined();
  const Eigen::Index L = w.rows, nv = w.size(), k = A.count(6, "k", kMaxCount);
  if (A.ok() && (L < 3 || L <= k + 1)) A.fail("L must exceed k + 1 and be at least 3");
  const double* q = A.f64(5, nv * k, "q", false, true);
  const char* names[5] = {"beta", "kappa", "m", "sigmaEq", "last"};
  double* outs[5];
  for (size_t i = 0; i < 5; ++i) outs[i] = A.f64(7 + i, i == 0 ? nv * k : nv, names[i], true, true);
  if (!A.disjoint(true)) return env.Undefined();  // outputs may alias src and q (copied first), not each other
  const bool ok = residualFitsCore(w, q, k, FitsOut{outs[0], outs[1], outs[2], outs[3], outs[4]});
  return Napi::Boolean::New(env, ok);
}
Napi::Value ResidualFits(const Napi::CallbackInfo& info) {
  return guarded(info, "residualFits", [&] { return ResidualFitsBody(info); });
}

// smallestCandidates(x, count, stride, r, cap): lib/stats smallestValues' candidate pass — the r-th
// smallest of the strided sample x[0], x[stride], … is the threshold t; returns the values ≤ t in
// their order as a new Float64Array when there are at least count and fewer than cap of them, else
// undefined (the caller then runs its TypeScript pass, which decides those cases). Also undefined
// when any value of x is NaN or ±Infinity (the scan checks all of them), so a caller that gets an
// array knows x is finite without a pass of its own. Same sample, same threshold value, same scan
// order as the TypeScript pass.
// x is read once: its typed-array info by the ArgReader (count, stride, r and cap are plain numbers —
// no valueOf or getter runs, so nothing can resize or detach x's buffer during the call), and each of
// its elements once — the sampled values are kept in index order and the scan takes them from that
// copy, reading only the elements between them from x. So even a SharedArrayBuffer written by another
// thread during the call gives a result consistent with one read of each element: the threshold is
// the r-th smallest of the very sampled values the scan keeps or drops.

// The scan: keeps the values ≤ t, in the order given, into out (room for cap + 8), until cap are kept.
struct CandidateScan {
  double t;
  double* out;
  int64_t cap;
  int64_t c = 0;
  double probe = 0.0;  // Σ v·0 over the values seen: 0 while every v is finite, NaN from the first NaN or ±Infinity on
#ifdef __AVX2__
  __m256d probe4 = _mm256_setzero_pd();
#endif
  bool full() const { return c >= cap; }
  void one(double v) {  // branch-free: always written, kept when c advances (c < cap here)
    probe += v * 0.0;
    out[c] = v;
    c += v <= t ? 1 : 0;
  }
  // x[0, n), until full
  void range(const double* x, int64_t n) {
    int64_t i = 0;
#ifdef __AVX2__
    // 4 at a time: compare, then move the kept lanes to the front with one permutation (lookup by
    // the 4-bit mask) and store all 4 lanes at out + c (c < cap: within out's room); c advances by the number kept
    alignas(32) static constexpr int32_t kPerm[16][8] = {
        {0, 1, 2, 3, 4, 5, 6, 7}, {0, 1, 2, 3, 4, 5, 6, 7}, {2, 3, 0, 1, 4, 5, 6, 7}, {0, 1, 2, 3, 4, 5, 6, 7},
        {4, 5, 0, 1, 2, 3, 6, 7}, {0, 1, 4, 5, 2, 3, 6, 7}, {2, 3, 4, 5, 0, 1, 6, 7}, {0, 1, 2, 3, 4, 5, 6, 7},
        {6, 7, 0, 1, 2, 3, 4, 5}, {0, 1, 6, 7, 2, 3, 4, 5}, {2, 3, 6, 7, 0, 1, 4, 5}, {0, 1, 2, 3, 6, 7, 4, 5},
        {4, 5, 6, 7, 0, 1, 2, 3}, {0, 1, 4, 5, 6, 7, 2, 3}, {2, 3, 4, 5, 6, 7, 0, 1}, {0, 1, 2, 3, 4, 5, 6, 7}};
    const __m256d tv = _mm256_set1_pd(t), zero = _mm256_setzero_pd();
    for (; i + 4 <= n && c < cap; i += 4) {
      const __m256d v = _mm256_loadu_pd(x + i);
      probe4 = _mm256_add_pd(probe4, _mm256_mul_pd(v, zero));
      const int mask = _mm256_movemask_pd(_mm256_cmp_pd(v, tv, _CMP_LE_OQ));
      const __m256i perm = _mm256_load_si256(reinterpret_cast<const __m256i*>(kPerm[mask]));
      _mm256_storeu_pd(out + c, _mm256_castps_pd(_mm256_permutevar8x32_ps(_mm256_castpd_ps(v), perm)));
      c += __builtin_popcount(static_cast<unsigned>(mask));
    }
#endif
    for (; i < n && c < cap; ++i) one(x[i]);
  }
  bool finite() const {
#ifdef __AVX2__
    alignas(32) double lanes[4];
    _mm256_store_pd(lanes, probe4);
    if (!(lanes[0] == 0 && lanes[1] == 0 && lanes[2] == 0 && lanes[3] == 0)) return false;
#endif
    return probe == 0;
  }
};

Napi::Value SmallestCandidatesBody(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  statarb::ArgReader A(info, "smallestCandidates", 5, 5, "5 arguments (x, count, stride, r, cap)");
  int64_t n = 0;
  const double* x = A.f64(0, 0, "x", false, false, &n);
  const int64_t count = A.count(1, "count", kMaxCount), stride = A.count(2, "stride", kMaxCount), r = A.count(3, "r", kMaxCount), cap = A.count(4, "cap", kMaxCount);
  if (!A.ok() || stride < 1 || n == 0 || cap < 1) return env.Undefined();
  const int64_t m = (n - 1) / stride + 1;  // the sampled positions 0, stride, …
  if (r >= m) return env.Undefined();
  std::vector<double> sampled(static_cast<size_t>(m));  // in index order: the scan's copy of them
  for (int64_t j = 0; j < m; ++j) {
    const double v = x[j * stride];
    if (std::isnan(v)) return env.Undefined();  // nth_element needs a strict weak order
    sampled[static_cast<size_t>(j)] = v;
  }
  std::vector<double> sample(sampled);
  std::nth_element(sample.begin(), sample.begin() + r, sample.end());
  const double t = sample[static_cast<size_t>(r)];
  // uninitialised (every kept slot is written before it is read); malloc reuses the block next call
  const int64_t stopAt = std::min(cap, n + 1);  // reaching it means ≥ cap kept: undecided
  std::unique_ptr<double[]> out(new (std::nothrow) double[static_cast<size_t>(stopAt) + 8]);
  if (!out) return env.Undefined();
  CandidateScan scan{t, out.get(), stopAt};
  for (int64_t j = 0; j < m && !scan.full(); ++j) {  // each sampled value (from the copy), then the stretch up to the next one (from x)
    scan.one(sampled[static_cast<size_t>(j)]);
    const int64_t from = j * stride + 1, to = std::min(n, from + stride - 1);
    if (to > from) scan.range(x + from, to - from);
  }
  const int64_t c = scan.c;
  if (c < count || c >= cap || !scan.finite()) return env.Undefined();  // not finite: a NaN or ±Infinity in x
  auto res = Napi::Float64Array::New(env, static_cast<size_t>(c));
  if (env.IsExceptionPending()) return env.Undefined();
  std::copy(out.get(), out.get() + c, res.Data());
  return res;
}
Napi::Value SmallestCandidates(const Napi::CallbackInfo& info) {
  return guarded(info, "smallestCandidates", [&] { return SmallestCandidatesBody(info); });
}

Napi::Value WindowMoments(const Napi::CallbackInfo& info) {
  return guarded(info, "windowMoments", [&] { return WindowMomentsBody(info); });
}
Napi::Value PcaTrack(const Napi::CallbackInfo& info) {
  return guarded(info, "pcaTrack", [&] { return PcaTrackBody(info); });
}
Napi::Value PcaResiduals(const Napi::CallbackInfo& info) {
  return guarded(info, "pcaResiduals", [&] { return PcaResidualsBody(info); });
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  // Eigen's own GEMM threads (OpenMP builds only): one by default, since the machines this runs on
  // are shared; STATARB_LINALG_THREADS=2 opts in (for OpenBLAS too, below).
  int threads = 1;
  const char* t = std::getenv("STATARB_LINALG_THREADS");
  if (t) threads = std::max(1, std::min(64, std::atoi(t)));
  Eigen::setNbThreads(threads);
#ifdef STATARB_HAVE_DSYEVD
  // OpenBLAS: STATARB_LINALG_THREADS, else the user's OPENBLAS/GOTO/OMP_NUM_THREADS, else ONE thread
  // (not OpenBLAS' one per core): on a shared 2-core machine a second spinning BLAS thread cost
  // reproduce avellaneda-lee 34 CPU s instead of 19, and the thread count changes the summation
  // order of dsyrk/dgemm/dsytrd — one default keeps results the same from run to run on a machine.
  if (t) openblas_set_num_threads(threads);
  else if (!std::getenv("OPENBLAS_NUM_THREADS") && !std::getenv("GOTO_NUM_THREADS") && !std::getenv("OMP_NUM_THREADS")) openblas_set_num_threads(1);
#endif
  exports.Set("eigh", Napi::Function::New(env, Eigh, "eigh"));
  exports.Set("eighEigen", Napi::Function::New(env, EighEigen, "eighEigen"));
  exports.Set("eighChecksFinite", Napi::Boolean::New(env, true));  // eigh refuses a NaN/±Infinity anywhere in a
#ifdef STATARB_HAVE_DSYEVD
  exports.Set("windowEigen", Napi::Function::New(env, WindowEigen, "windowEigen"));
  exports.Set("gram", Napi::Function::New(env, Gram, "gram"));
#endif
  exports.Set("windowMoments", Napi::Function::New(env, WindowMoments, "windowMoments"));
  exports.Set("pcaTrack", Napi::Function::New(env, PcaTrack, "pcaTrack"));
  exports.Set("pcaResiduals", Napi::Function::New(env, PcaResiduals, "pcaResiduals"));
  exports.Set("residualFits", Napi::Function::New(env, ResidualFits, "residualFits"));
  exports.Set("smallestCandidates", Napi::Function::New(env, SmallestCandidates, "smallestCandidates"));
  exports.Set("smallestCandidatesChecksFinite", Napi::Boolean::New(env, true));  // undefined for a NaN/±Infinity anywhere in x
  statarbRegisterRank(env, exports);
  statarbRegisterOls(env, exports);
  statarbRegisterAsof(env, exports);
  statarbRegisterDuckRead(env, exports);
  statarbRegisterHugeBuffer(env, exports);
  const std::string eigen = "eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." + std::to_string(EIGEN_MINOR_VERSION);
#ifdef STATARB_HAVE_DSYEVD
  exports.Set("backend", Napi::String::New(env, "lapack dsyevd (OpenBLAS, 64-bit ints); " + eigen + " kernels"));
#else
  exports.Set("backend", Napi::String::New(env, eigen + " tridiagonalisation + threaded QL"));
#endif
  return exports;
}

}  // namespace

NODE_API_MODULE(statarb_linalg, Init)
