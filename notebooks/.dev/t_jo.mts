import { loadDataset, johansen } from "./statarb-shim.mjs";
import { writeFileSync } from "node:fs";
const p = (await loadDataset("skfolio-sp500")).slice({ start: "2015-01-01", end: "2019-12-31", assets: ["KO", "PEP"] });
const lp = p.mapColumns((c) => c.map(Math.log));
const j = johansen(lp, { detOrder: 0, kArDiff: 1 });
console.log(Array.from(j.trace), Array.from(j.maxEig), Array.from(j.eigenvalues), j.nobs);
writeFileSync("/tmp/nbdev/lp.csv", "KO,PEP\n" + Array.from({ length: lp.nDates }, (_, i) => `${lp.get(i, 0)},${lp.get(i, 1)}`).join("\n"));
