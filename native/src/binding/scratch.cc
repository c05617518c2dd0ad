#include "scratch.h"

#include <algorithm>

#include "codes.gen.h"

namespace statarb::binding {

namespace in = codes::scratchIn;
namespace out = codes::scratchOut;

Status decodeScratch(const double* x, const PriceGrid& grid, NewOrder* o) {
  const double side = x[in::kSide], type = x[in::kType], tif = x[in::kTimeInForce];
  if (!isId(x[in::kId]) || !(side == 0 || side == 1) || !(type == 0 || type == 1) || !(tif == 0 || tif == 1 || tif == 2) ||
      !isTimestamp(x[in::kTimestamp]))
    return Status::BadOrder;
  if (!isCount(x[in::kQuantity])) return Status::BadQuantity;
  o->id = uint64_t(x[in::kId]);
  o->side = side == codes::side::kBuy ? Side::Buy : Side::Sell;
  o->type = type == codes::orderType::kLimit ? OrderType::Limit : OrderType::Market;
  o->tif = TimeInForce(int(tif));
  o->postOnly = x[in::kPostOnly] != 0;
  o->quantity = int64_t(x[in::kQuantity]);
  o->timestamp = int64_t(x[in::kTimestamp]);
  if (o->type == OrderType::Market && o->tif == TimeInForce::GTC) o->tif = TimeInForce::IOC;
  if (o->type == OrderType::Limit && !grid.toTicks(x[in::kPrice], &o->price)) return Status::BadPrice;
  if (o->postOnly && (o->type == OrderType::Market || o->tif != TimeInForce::GTC)) return Status::BadOrder;
  return Status::Ok;
}

void writeScratchFills(double* o, size_t capacity, const std::vector<Fill>& fills, const PriceGrid& grid) {
  const size_t k = std::min(capacity, fills.size());
  o += out::kHeader;
  for (size_t i = 0; i < k; ++i, o += out::kFillStride) {
    o[0] = double(fills[i].taker);
    o[1] = double(fills[i].maker);
    o[2] = grid.toPrice(fills[i].price);
    o[3] = double(fills[i].quantity);
    o[4] = double(fills[i].timestamp);
  }
}

void writeScratchResult(double* o, size_t capacity, Status st, const Result& r, const std::vector<Fill>& fills, const PriceGrid& grid) {
  o[out::kStatus] = double(st);
  o[out::kFilled] = double(r.filled);
  o[out::kResting] = double(r.resting);
  const bool ran = st == Status::Ok || st == Status::PostOnlyWouldTake || st == Status::FokUnfillable;
  const size_t nf = ran ? fills.size() : 0;
  o[out::kFillCount] = double(nf);
  if (nf) writeScratchFills(o, capacity, fills, grid);
}

}  // namespace statarb::binding
