/ statarb q queries over the schema.q tables (loaded by QSession on connect).

/ VWAP, volume and trade count by symbol and bar of `bar` minutes (bar times are the bars' starts).
/ t: a trade table; bar: minutes (an integer)
.statarb.vwap:{[t;bar] select vwap:size wavg price, volume:sum size, trades:count i by sym, bar:(bar*0D00:01) xbar time from t}

/ As-of join of trades to the prevailing quote of their symbol (the last quote at or before the trade),
/ with the mid, the quoted spread and the signed slippage against the mid (positive = paid).
.statarb.asof:{[t;q]
  r:aj[`sym`time; `sym`time xasc t; `sym`time xasc q];
  update mid:0.5*bid+ask, spread:ask-bid, slippage:?[side="B"; price-0.5*bid+ask; (0.5*bid+ask)-price] from r}

/ Trades per symbol between two timestamps (inclusive).
.statarb.window:{[t;s;t0;t1] select from t where sym in s, time within (t0;t1)}
