import { OctaveSession } from "../../bridges/octave/session.js";
import { NA, isRNAAt, R_NA_REAL } from "../../bridges/core/values.js";
import { Panel } from "../../lib/data/index.js";
import { Matrix } from "../../lib/stats/index.js";
const r = new OctaveSession();
let t = Date.now();
console.log(await r.eval("x = 1:3\ndisp(sum(x)); warning('w'); 5"), Date.now() - t);
t = Date.now();
for (let i = 0; i < 5; i++) await r.eval("1+1;");
console.log("warm", (Date.now() - t) / 5);
try { await r.eval("foo(1)"); } catch (e) { console.log(String(e)); }
try { await r.eval("1 +* 2"); } catch (e) { console.log(String(e)); }
try { await r.eval("error('my:id', 'boom %d', 3)"); } catch (e) { console.log(String(e), (e as any).kind); }
const f = new Float64Array([1, NaN, Infinity, -Infinity, R_NA_REAL]);
await r.put("f", f);
console.log((await r.eval("[isna(f), isnan(f)]")).value);
const g = await r.get("f") as Float64Array;
console.log(g, isRNAAt(g, 4), isRNAAt(g, 1));
await r.put("o", { a: 1, b: "x", c: [true, null], d: ["a", null], e: NA, n: null, i: new Int32Array([1, 7]), m: new Matrix(2, 2, new Float64Array([1,2,3,4])), l: [1, "a"] });
console.log((await r.eval("o")).stdout);
console.log(await r.get("o"));
const p = Panel.fromColumns(["2020-01-01", "2020-01-02"], { A: [1, 2], B: [3, NaN] });
await r.put("p", p);
console.log((await r.eval("p, datestr(p.dates)")).stdout);
console.log(await r.get("p"));
try { await r.eval("pause(10)", { timeoutMs: 500 }); } catch (e) { console.log(String(e)); }
console.log((await r.eval("f(1)")).value);
await r.eval("plot(1:10)", { plots: { dir: "/tmp", format: "svg" } }).then(x => console.log(x.plots));
try { await r.eval("exit(4)"); } catch (e) { console.log(String(e)); }
console.log(await r.eval("exist('f')"));
await r.close();
