#include "batch.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

#include "buffer.h"
#include "codes.gen.h"

namespace statarb::binding {

namespace {

using codes::BatchOp;
using codes::BatchStatus;

struct ColumnsFull {};  // no memory for more fill columns

constexpr const char* kWhere = "OrderBook.submitBatch";

void* allocBlock(size_t bytes) {
  if (bytes >= kBigBlock) {
    try {
      return bigAlloc(bytes);
    } catch (const std::bad_alloc&) {
      return nullptr;
    }
  }
  return std::malloc(bytes);
}

void freeBlock(void* p, size_t bytes) {
  if (!p) return;
  if (bytes >= kBigBlock)
    bigFree(p, bytes);
  else
    std::free(p);
}

template <typename T>
size_t blockBytes(size_t n) {
  const size_t b = n * sizeof(T);
  return b >= kBigBlock ? bigBytes(b) : b;
}

uint8_t st(Status s) { return uint8_t(s); }
uint8_t st(BatchStatus s) { return uint8_t(s); }

// A new order (every code but cancel and modify); *ran when the engine ran it.
uint8_t applyNewOrder(OrderBook& book, const PriceGrid& grid, const BatchInput& in, size_t i, int64_t ts, bool* ran) {
  const uint8_t t = in.type[i];
  if (t > codes::kMaxBatchOp) return st(BatchStatus::BadType);
  if (in.side[i] > 1) return st(BatchStatus::BadSide);
  if (!isCount(in.quantity[i])) return st(Status::BadQuantity);
  NewOrder o;
  o.id = uint64_t(in.id[i]);
  o.side = Side(in.side[i]);
  o.quantity = int64_t(in.quantity[i]);
  o.timestamp = ts;
  const BatchOp op = BatchOp(t);
  if (op == BatchOp::Market || op == BatchOp::MarketFok) {
    o.type = OrderType::Market;
    o.tif = op == BatchOp::MarketFok ? TimeInForce::FOK : TimeInForce::IOC;
  } else {
    if (!grid.toTicks(in.price[i], &o.price)) return st(Status::BadPrice);
    o.tif = op == BatchOp::Ioc ? TimeInForce::IOC : op == BatchOp::Fok ? TimeInForce::FOK : TimeInForce::GTC;
    o.postOnly = op == BatchOp::PostOnly;
  }
  *ran = true;
  return st(book.submit(o).status);
}

uint8_t applyModify(OrderBook& book, const PriceGrid& grid, const BatchInput& in, size_t i, int64_t ts, bool* ran) {
  int64_t ticks = 0;
  const bool changePrice = !std::isnan(in.price[i]);
  if (!isCount(in.quantity[i])) return st(Status::BadQuantity);
  if (changePrice && !grid.toTicks(in.price[i], &ticks)) return st(Status::BadPrice);
  *ran = true;
  return st(book.modify(uint64_t(in.id[i]), int64_t(in.quantity[i]), changePrice, ticks, ts).status);
}

uint8_t applyOp(OrderBook& book, const PriceGrid& grid, const BatchInput& in, size_t i, bool* ran) {
  const double* TS = in.timestamp;
  const bool tsOk = !TS || isTimestamp(TS[i]);
  const int64_t ts = TS && tsOk ? int64_t(TS[i]) : 0;
  if (!isId(in.id[i])) return st(BatchStatus::BadId);
  if (!tsOk) return st(BatchStatus::BadTimestamp);
  if (in.type[i] == uint8_t(BatchOp::Cancel)) {
    *ran = true;
    return st(book.cancel(uint64_t(in.id[i]), ts).status);
  }
  if (in.type[i] == uint8_t(BatchOp::Modify)) return applyModify(book, grid, in, i, ts, ran);
  return applyNewOrder(book, grid, in, i, ts, ran);
}

BadInput batchOutOfMemory(const OrderBook& book, const BatchInput& in, size_t i, size_t applied) {
  BadInput b{true, std::string(kWhere) + ": out of memory at operation " + std::to_string(i) + " of " + std::to_string(in.n) + " (" +
                       std::to_string(book.orderCount()) + " resting orders): the first " + std::to_string(applied) +
                       " operations were applied and the rest were not (error.appliedCount); the batch's fills are not returned, " +
                       "so read the book's state (snapshot) and submit smaller batches"};
  b.appliedCount = int64_t(applied);
  return b;
}

}  // namespace

BatchArgs readBatchArgs(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsObject())
    throw BadInput{false, std::string(kWhere) + ": ops must be an object of typed arrays { type, id, side, price, quantity }"};
  Napi::Object ops = info[0].As<Napi::Object>();
  BatchArgs a;
  a.type = prop(ops, "type");
  a.id = prop(ops, "id");
  a.side = prop(ops, "side");
  a.price = prop(ops, "price");
  a.quantity = prop(ops, "quantity");
  a.timestamp = prop(ops, "timestamp");
  Napi::Value options = info[1];
  if (options.IsObject())
    a.checksums = booleanField(prop(options.As<Napi::Object>(), "checksums"), "OrderBook.submitBatch: options.checksums");
  else if (!options.IsUndefined())
    throw BadInput{false, std::string(kWhere) + ": options must be an object like { checksums: true } when given"};
  return a;
}

BatchInput resolveBatch(const BatchArgs& a) {
  const std::string ops = std::string(kWhere) + ": ops.";
  BatchInput in;
  const TypedData type = typedData(a.type, napi_uint8_array, ops + "type", "Uint8Array");
  in.n = type.length;
  in.type = static_cast<const uint8_t*>(type.data);
  auto column = [&](const Napi::Value& v, const char* field, napi_typedarray_type t, const char* typeName) -> const void* {
    const TypedData d = typedData(v, t, ops + field, typeName);
    if (d.length != in.n)
      throw BadInput{true, ops + field + " has length " + std::to_string(d.length) + ", expected " + std::to_string(in.n) + " (the length of ops.type)"};
    return d.data;
  };
  in.id = static_cast<const double*>(column(a.id, "id", napi_float64_array, "Float64Array"));
  in.side = static_cast<const uint8_t*>(column(a.side, "side", napi_uint8_array, "Uint8Array"));
  in.price = static_cast<const double*>(column(a.price, "price", napi_float64_array, "Float64Array"));
  in.quantity = static_cast<const double*>(column(a.quantity, "quantity", napi_float64_array, "Float64Array"));
  if (!a.timestamp.IsUndefined()) in.timestamp = static_cast<const double*>(column(a.timestamp, "timestamp", napi_float64_array, "Float64Array"));
  return in;
}

template <typename T>
Column<T>::~Column() {
  freeBlock(p, blockBytes<T>(cap));
}

template <typename T>
bool Column<T>::reserve(size_t n) {
  if (n <= cap) return true;
  size_t c = cap ? cap * 2 : 64;  // small first: a batch with a few fills hands out a few hundred bytes, not 6 × 32 KiB (V8 counts it as external memory and collects sooner)
  while (c < n) c *= 2;
  T* q = static_cast<T*>(allocBlock(blockBytes<T>(c)));
  if (!q) return false;
  if (cap) std::memcpy(q, p, cap * sizeof(T));
  freeBlock(p, blockBytes<T>(cap));
  p = q;
  cap = c;
  return true;
}

template <typename T>
Napi::ArrayBuffer Column<T>::handOut(Napi::Env env, size_t used) {
  if (used == 0) return Napi::ArrayBuffer::New(env, 0);
  const size_t block = blockBytes<T>(cap);
  void* data = p;
  p = nullptr;
  cap = 0;
  Napi::MemoryManagement::AdjustExternalMemory(env, int64_t(block));
  return Napi::ArrayBuffer::New(
      env, data, used * sizeof(T),
      [](Napi::Env e, void* d, size_t* size) {
        freeBlock(d, *size);
        Napi::MemoryManagement::AdjustExternalMemory(e, -int64_t(*size));
        delete size;
      },
      new size_t(block));
}

void FillColumns::append(uint32_t op, const std::vector<Fill>& fills, const PriceGrid& grid) {
  const size_t need = m_ + fills.size();
  if (need > op_.cap && !(op_.reserve(need) && taker_.reserve(need) && maker_.reserve(need) && price_.reserve(need) && qty_.reserve(need) &&
                          ts_.reserve(need)))
    throw ColumnsFull{};
  for (const Fill& f : fills) {
    op_.p[m_] = op;
    taker_.p[m_] = double(f.taker);
    maker_.p[m_] = double(f.maker);
    price_.p[m_] = grid.toPrice(f.price);
    qty_.p[m_] = double(f.quantity);
    ts_.p[m_] = double(f.timestamp);
    ++m_;
  }
}

void FillColumns::handOut(Napi::Env env, Napi::Object out) {
  const size_t m = m_;
  out.Set("fillOp", Napi::Uint32Array::New(env, m, op_.handOut(env, m), 0));
  out.Set("taker", Napi::Float64Array::New(env, m, taker_.handOut(env, m), 0));
  out.Set("maker", Napi::Float64Array::New(env, m, maker_.handOut(env, m), 0));
  out.Set("price", Napi::Float64Array::New(env, m, price_.handOut(env, m), 0));
  out.Set("quantity", Napi::Float64Array::New(env, m, qty_.handOut(env, m), 0));
  out.Set("timestamp", Napi::Float64Array::New(env, m, ts_.handOut(env, m), 0));
  m_ = 0;
}

void runBatch(OrderBook& book, const PriceGrid& grid, const BatchInput& in, uint8_t* status, uint32_t* sums, FillColumns& fills) {
  fills.clear();
  size_t i = 0;
  try {
    for (; i < in.n; ++i) {
      bool ran = false;  // the engine ran this op, so book.fills() belongs to it
      status[i] = applyOp(book, grid, in, i, &ran);
      if (ran && !book.fills().empty()) fills.append(uint32_t(i), book.fills(), grid);
      if (sums) sums[i] = book.checksum();
    }
  } catch (const std::bad_alloc&) {
    throw batchOutOfMemory(book, in, i, i);  // the engine refuses an operation before changing anything
  } catch (const ColumnsFull&) {
    throw batchOutOfMemory(book, in, i, i + 1);  // operation i ran; its fills found no room
  }
}

template struct Column<uint32_t>;
template struct Column<double>;

}  // namespace statarb::binding
