// rankWeights: the backtester's built-in rank construction (lib/backtest/construct.ts, method "rank")
// for one row of scores, or a row-major block of rows, in one call — the same numbers as its
// TypeScript path, bit for bit: wᵢ = (rᵢ − (m+1)/2)·gross / Σ|r − (m+1)/2| over the m finite scores
// (rᵢ their average 1-based ranks: ties share one), 0 for the other scores, all 0 when m < 2.
// Ranks are half-integers fixed by the order of the values alone, so any exact sort gives them;
// Σ|r − centre| is a sum of half-integers (exact in any order) and each weight is computed as the
// same expression as in TypeScript, so the results do not depend on the sort or the compiler.
// The sort: 2m buckets by (v − lo)·2m/(hi − lo) (a monotone map: buckets in value order, ties share
// one), a counting scatter, then one insertion pass (disorder is local to a bucket); buckets of more
// than 16 values and ranges with no finite bucket scale go through std::sort. Scratch is per thread
// and grows to the longest row seen: no allocation per call after the first.
//   rankWeights(scores: Float64Array, gross: number, out: Float64Array, rows?: number)
// scores and out hold rows × n values (rows default 1); they must not overlap (checked: a RangeError).
#include <napi.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <new>
#include <string>
#include <vector>

#include "napi_args.h"

namespace {

struct Item {
  double key;
  int32_t idx;
};

struct RankScratch {
  std::vector<Item> gathered, sorted;
  std::vector<int32_t> bucket, bounds;
  void reserve(size_t n) {
    if (gathered.size() >= n) return;
    gathered.resize(n);
    sorted.resize(n);
    bucket.resize(n);
    bounds.resize(2 * n + 1);
  }
};

// Sorts s.gathered[0..m) into s.sorted by buckets; returns the largest bucket's size, or -1 when
// the range gives no finite positive bucket scale (nothing sorted).
int64_t bucketScatter(RankScratch& s, int64_t m, double lo, double hi) {
  const int64_t nb = 2 * m;
  const double scale = static_cast<double>(nb) / (hi - lo);
  if (!(scale > 0 && scale < INFINITY)) return -1;
  const Item* g = s.gathered.data();
  int32_t* bucket = s.bucket.data();
  int32_t* bounds = s.bounds.data();
  const int64_t top = nb - 1;
  for (int64_t k = 0; k < m; ++k) {
    // (v − lo)·scale is in [0, nb·(1 + ε)]: truncation is floor, nb − 1 caps the top
    const int64_t b = static_cast<int64_t>((g[k].key - lo) * scale);
    bucket[k] = static_cast<int32_t>(b > top ? top : b);
  }
  std::fill(bounds, bounds + nb, 0);
  for (int64_t k = 0; k < m; ++k) ++bounds[bucket[k]];
  int32_t largest = 0, start = 0;
  for (int64_t b = 0; b < nb; ++b) {
    const int32_t c = bounds[b];
    largest = std::max(largest, c);
    bounds[b] = start;
    start += c;
  }
  Item* out = s.sorted.data();
  for (int64_t k = 0; k < m; ++k) out[bounds[bucket[k]]++] = g[k];  // bounds[b] ends at bucket b's end
  return largest;
}

bool byKey(const Item& a, const Item& b) { return a.key < b.key; }

// Insertion pass over s.sorted[0..m) (disorder local to small buckets); returns whether two values tie.
bool orderAndTies(Item* a, int64_t m) {
  bool ties = false;
  double prev = a[0].key;
  for (int64_t i = 1; i < m; ++i) {
    const Item v = a[i];
    if (v.key > prev) {
      prev = v.key;
    } else if (v.key == prev) {
      ties = true;
    } else {
      int64_t j = i - 1;
      while (j >= 0 && a[j].key > v.key) {
        a[j + 1] = a[j];
        --j;
      }
      a[j + 1] = v;
      if (j >= 0 && a[j].key == v.key) ties = true;
    }
  }
  return ties;
}

// Sorts the m gathered values (range lo..hi) into s.sorted; returns whether any two tie.
bool sortGathered(RankScratch& s, int64_t m, double lo, double hi) {
  Item* a = s.sorted.data();
  const int64_t largest = m <= 0x3fffffff ? bucketScatter(s, m, lo, hi) : -1;
  if (largest < 0) {
    std::copy(s.gathered.begin(), s.gathered.begin() + m, a);
    std::sort(a, a + m, byKey);
  } else if (largest > 16) {
    const int32_t* bounds = s.bounds.data();
    int64_t start = 0;
    for (int64_t b = 0; b < 2 * m; ++b) {
      const int64_t end = bounds[b];
      if (end - start > 16) std::sort(a + start, a + end, byKey);
      start = end;
    }
  }
  return orderAndTies(a, m);
}

// With ties: Σ|r − centre| over the tie groups, then each group's weight.
void tiedWeights(const Item* a, int64_t m, double centre, double gross, double* out) {
  double g = 0;
  for (int64_t i = 0; i < m;) {
    int64_t k = i;
    while (k + 1 < m && a[k + 1].key == a[i].key) ++k;
    g += std::fabs(static_cast<double>(i + k) / 2 + 1 - centre) * static_cast<double>(k - i + 1);
    i = k + 1;
  }
  for (int64_t i = 0; i < m;) {
    int64_t k = i;
    while (k + 1 < m && a[k + 1].key == a[i].key) ++k;
    const double c = static_cast<double>(i + k) / 2 + 1 - centre;
    const double w = g > 0 ? (c * gross) / g : c;
    for (int64_t t = i; t <= k; ++t) out[a[t].idx] = w;
    i = k + 1;
  }
}

void rowWeights(RankScratch& s, const double* x, int64_t n, double gross, double* out) {
  Item* g = s.gathered.data();
  int64_t m = 0;
  double lo = INFINITY, hi = -INFINITY;
  for (int64_t j = 0; j < n; ++j) {
    const double v = x[j];
    if (std::isfinite(v)) {
      g[m++] = Item{v, static_cast<int32_t>(j)};
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    } else {
      out[j] = 0;
    }
  }
  if (m < 2) {
    if (m == 1) out[g[0].idx] = 0;
    return;
  }
  const bool ties = sortGathered(s, m, lo, hi);
  const Item* a = s.sorted.data();
  const double centre = static_cast<double>(m + 1) / 2;
  if (ties || m > 0x4000000) return tiedWeights(a, m, centre, gross, out);
  // ranks 1…m: Σ|r − centre| = ⌊m²/4⌋ exactly (m ≤ 2²⁶)
  const double md = static_cast<double>(m);
  const double gsum = (m % 2 == 0 ? md * md : md * md - 1) / 4;
  for (int64_t p = 0; p < m; ++p) out[a[p].idx] = ((static_cast<double>(p + 1) - centre) * gross) / gsum;
}

// Arguments read by napi_args.h's ArgReader (each once, every status checked): gross a finite
// number, rows (when given) an integer ≥ 1 dividing scores.length, out as long as scores and not
// sharing its memory (out is written while scores are still read; lib/backtest's construct.ts
// takes its TypeScript path for an out in the scores' buffer).
Napi::Value RankWeightsBody(const Napi::CallbackInfo& info) {
  statarb::ArgReader A(info, "rankWeights", 3, 4, "(scores: Float64Array, gross: number, out: Float64Array, rows?: number)");
  int64_t total = 0, outLength = 0;
  const double* x = A.f64(0, 0, "scores", false, false, &total);
  const double gross = A.finite(1, "gross");
  double* o = A.f64(2, 0, "out", true, false, &outLength);
  const int64_t rows = A.length() == 4 ? A.integer(3, "rows", 1, int64_t{1} << 40, true, 1) : 1;
  if (A.ok() && outLength != total) A.fail("out must have the scores' length " + std::to_string(total) + ", got " + std::to_string(outLength));
  if (A.ok() && total % rows != 0) A.fail("rows (" + std::to_string(rows) + ") must divide the scores' length " + std::to_string(total));
  if (A.ok() && total / rows > 0x3fffffff) A.fail("a row may hold at most 2^30 − 1 scores, got " + std::to_string(total / rows));
  if (!A.disjoint() || total == 0) return info.Env().Undefined();
  const int64_t n = total / rows;
  thread_local RankScratch scratch;
  scratch.reserve(static_cast<size_t>(n));
  for (int64_t r = 0; r < rows; ++r) rowWeights(scratch, x + r * n, n, gross, o + r * n);
  return info.Env().Undefined();
}

Napi::Value RankWeights(const Napi::CallbackInfo& info) {
  try {
    return RankWeightsBody(info);
  } catch (const std::bad_alloc&) {  // the scratch for a huge row: an error, never std::terminate
    if (!info.Env().IsExceptionPending()) Napi::RangeError::New(info.Env(), "rankWeights: out of memory for a row of this size").ThrowAsJavaScriptException();
  } catch (const std::exception& e) {
    if (!info.Env().IsExceptionPending()) Napi::Error::New(info.Env(), std::string("rankWeights: ") + e.what()).ThrowAsJavaScriptException();
  }
  return info.Env().Undefined();
}

}  // namespace

// Registered by linalg.cc's Init.
void statarbRegisterRank(Napi::Env env, Napi::Object exports) {
  exports.Set("rankWeights", Napi::Function::New(env, RankWeights, "rankWeights"));
}
