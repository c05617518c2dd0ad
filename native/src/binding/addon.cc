// The matching-engine addon's entry point: the OrderBook class and the batch status codes.
#include <napi.h>

#include "book_wrap.h"
#include "codes.gen.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("OrderBook", statarb::binding::OrderBookWrap::Define(env));
  Napi::Object codes = Napi::Object::New(env);
  for (const auto& s : statarb::codes::kStatusNames) codes.Set(s.name, s.code);
  exports.Set("statusCodes", codes);
  return exports;
}

}  // namespace

NODE_API_MODULE(statarb_engine, Init)
