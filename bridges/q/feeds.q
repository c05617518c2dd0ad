/ statarb tickerplant-style publisher over the schema.q tables.
/ Subscribers open a handle and call .u.sub[`trade;`] (all symbols) or .u.sub[`quote;`AAPL`MSFT];
/ every upd[table;data] appends to the local table and is published asynchronously as
/ (`upd;table;data) to the subscribers of that table (kdb+tick's convention). A synthetic feed
/ (.statarb.feed.batch, driven by the timer: \t 100) generates quotes and the trades against them.

\d .u
/ table -> list of (handle; symbols) subscriptions
w:`trade`quote!(();())

/ subscribe the calling handle; returns (table; empty schema) like kdb+tick's .u.sub
sub:{[t;s]
  if[not t in key w; '"unknown table ",string t];
  w[t],:enlist(.z.w;s);
  (t;0#value t)}

/ the rows of x that subscription symbols s asks for (` or () = every symbol)
sel:{[x;s] $[(s~`)|0=count s; x; select from x where sym in s]}

/ publish the new rows x of table t to its subscribers
pub:{[t;x] {[t;x;sub] neg[sub 0](`upd;t;sel[x;sub 1])}[t;x] each w t}

/ forget a closed handle
del:{[h] w::{[h;subs] subs where not h=subs[;0]}[h] each w}
\d .

.z.pc:{.u.del x}

/ the tickerplant's entry point: append and publish
upd:{[t;x] t insert x; .u.pub[t;x]}

/ synthetic feed ---------------------------------------------------------------------------
.statarb.feed.syms:`AAPL`MSFT`IBM`GOOG
.statarb.feed.px:.statarb.feed.syms!100 200 150 120f

/ n quotes and the n trades that follow them, priced around a random walk per symbol
.statarb.feed.batch:{[n]
  s:n?.statarb.feed.syms;
  t:.z.p+`timespan$til n;
  .statarb.feed.px[s]:.statarb.feed.px[s]*1+0.0005*-0.5+n?1f;
  p:.statarb.feed.px s;
  upd[`quote; ([] time:t; sym:s; bid:p-0.01; ask:p+0.01; bsize:100*1+n?10; asize:100*1+n?10)];
  side:n?"BS";
  upd[`trade; ([] time:t+1; sym:s; price:?[side="B"; p+0.01; p-0.01]; size:100*1+n?5; side:side)];
  n}

.z.ts:{.statarb.feed.batch 10}
