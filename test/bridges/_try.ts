import { RSession } from "../../bridges/r/session.js";
import { NA, isRNAAt, R_NA_REAL } from "../../bridges/core/values.js";
import { Panel } from "../../lib/data/index.js";
const r = new RSession();
let t = Date.now();
console.log(await r.eval("x <- 1:3; print(x); message('hi'); warning('w'); sum(x)"), Date.now() - t);
t = Date.now();
for (let i = 0; i < 5; i++) await r.eval("1+1");
console.log("warm", (Date.now() - t) / 5);
try { await r.eval("log('a')"); } catch (e) { console.log(String(e)); }
try { await r.eval("a b"); } catch (e) { console.log(String(e)); }
try { await r.eval("stop('boom')"); } catch (e) { console.log(String(e)); }
const f = new Float64Array([1, NaN, Infinity, -Infinity, R_NA_REAL]);
await r.put("f", f);
console.log(await r.eval("c(is.na(f), is.nan(f))"));
const g = await r.get("f") as Float64Array;
console.log(g, isRNAAt(g, 4), isRNAAt(g, 1));
await r.put("o", { a: 1, b: "x", c: [true, null], d: ["a", null], e: NA, n: null, i: new Int32Array([1, -2147483648]) });
console.log(await r.eval("str(o)"));
console.log(await r.get("o"));
const p = Panel.fromColumns(["2020-01-01", "2020-01-02"], { A: [1, 2], B: [3, NaN] });
await r.put("p", p);
console.log((await r.eval("print(p); str(p)")).stdout);
console.log(await r.get("p"));
await r.put("px", p, { panelAs: "xts" });
console.log((await r.eval("print(px)")).stdout, await r.get("px"));
console.log(await r.eval("matrix(1:6, 2)"));
try { await r.eval("Sys.sleep(10)", { timeoutMs: 500 }); } catch (e) { console.log(String(e)); }
console.log(await r.eval("f[1]"));
try { await r.eval("quit(status=4)"); } catch (e) { console.log(String(e)); }
console.log(await r.eval("exists('f')"));
await r.close();
