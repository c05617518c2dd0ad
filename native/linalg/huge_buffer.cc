// hugeBuffer: an ArrayBuffer for large output columns (lib/ticks' as-of join and columnar DuckDB
// read) whose memory is mapped here, 2 MiB-aligned and advised for transparent huge pages
// (MADV_HUGEPAGE; the kernel zero-fills it). Why (measured, bench/results/ticks.notes.md): a fresh
// 20 MB of 4 KiB pages costs ~5,000 page faults, ~6-8 ms of CPU on this machine, against ~1.7 ms
// with huge pages — and the join and the read each write ~20 MB of new columns per call. Freed
// (munmap) when the ArrayBuffer is collected. Below 1 MiB, or when mapping fails, it answers
// undefined and the caller allocates as usual.
//   hugeBuffer(bytes: number) → ArrayBuffer | undefined
#include <napi.h>
#include <sys/mman.h>

#include <cmath>
#include <cstdint>

namespace {

constexpr size_t kHuge = size_t{2} << 20;

struct Mapping {
  void* base;
  size_t length;
};

void unmap(napi_env, void*, void* hint) {
  auto* m = static_cast<Mapping*>(hint);
  munmap(m->base, m->length);
  delete m;
}

Napi::Value HugeBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 1 || !info[0].IsNumber()) {
    Napi::TypeError::New(env, "hugeBuffer(bytes: number)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const double want = info[0].As<Napi::Number>().DoubleValue();
  if (!(want >= 0 && want <= 9007199254740991.0 && want == std::floor(want))) {
    Napi::RangeError::New(env, "hugeBuffer: bytes must be a whole number ≥ 0").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const size_t bytes = static_cast<size_t>(want);
  if (bytes < (size_t{1} << 20) || bytes > (size_t{1} << 40)) return env.Undefined();
  const size_t length = bytes + kHuge;  // room to start on a 2 MiB boundary
  void* base = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) return env.Undefined();
  auto* start = reinterpret_cast<uint8_t*>((reinterpret_cast<uintptr_t>(base) + kHuge - 1) & ~(kHuge - 1));
#ifdef MADV_HUGEPAGE
  madvise(start, bytes, MADV_HUGEPAGE);  // advice only: without huge pages the buffer still works
#endif
  auto* m = new Mapping{base, length};
  napi_value out = nullptr;
  if (napi_create_external_arraybuffer(env, start, bytes, unmap, m, &out) != napi_ok) {
    munmap(base, length);  // (external buffers refused by this Node: the caller allocates as usual)
    delete m;
    return env.Undefined();
  }
  return Napi::Value(env, out);
}

}  // namespace

// Registered by linalg.cc's Init.
void statarbRegisterHugeBuffer(Napi::Env env, Napi::Object exports) {
  exports.Set("hugeBuffer", Napi::Function::New(env, HugeBuffer, "hugeBuffer"));
}
