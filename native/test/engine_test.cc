#include <gtest/gtest.h>

#include "engine.h"

using namespace statarb;

TEST(Engine, RoutesBySymbol) {
  Engine e;
  const uint32_t a = e.addSymbol("AAPL"), m = e.addSymbol("MSFT");
  EXPECT_EQ(e.addSymbol("AAPL"), a);
  EXPECT_EQ(e.symbolIndex("NOPE"), -1);
  NewOrder o;
  o.id = 1;
  o.side = Side::Sell;
  o.price = 100;
  o.quantity = 5;
  EXPECT_EQ(e.submit(a, o).status, Status::Ok);
  EXPECT_EQ(e.submit(m, o).status, Status::Ok);  // same id, other book
  o.id = 2;
  o.side = Side::Buy;
  EXPECT_EQ(e.submit(a, o).filled, 5);
  EXPECT_FALSE(e.book(a)->hasAsk());
  EXPECT_TRUE(e.book(m)->hasAsk());
  EXPECT_EQ(e.submit(7, o).status, Status::UnknownId);
  EXPECT_EQ(e.book(7), nullptr);
}
