// The per-call fast path: an order's fields arrive in a Float64Array shared with JavaScript and the
// result leaves in another (layouts scratchIn / scratchOut in native/codes.json), so a submit is
// one argument-less N-API call with no property reads and no objects made in C++.
#pragma once
#include <cstddef>

#include "convert.h"
#include "order_book.h"

namespace statarb::binding {

// Decodes the input scratch into *o; Status::Ok, or the status that names what is wrong with it
// (the TypeScript face then asks submit() for the error that names the field).
Status decodeScratch(const double* x, const PriceGrid& grid, NewOrder* o);

// Writes the result header (status, filled, resting, fill count) and as many fills as `capacity`
// holds into `out`.
void writeScratchResult(double* out, size_t capacity, Status st, const Result& r, const std::vector<Fill>& fills, const PriceGrid& grid);
void writeScratchFills(double* out, size_t capacity, const std::vector<Fill>& fills, const PriceGrid& grid);

}  // namespace statarb::binding
