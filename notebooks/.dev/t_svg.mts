import * as Plot from "@observablehq/plot";
import { renderPlot } from "./statarb-shim.mjs";
import { writeFileSync } from "node:fs";
const a = renderPlot({ marks: [Plot.lineY([1, 3, 2])] });
const b = renderPlot({ color: { legend: true }, marks: [Plot.lineY([{ x: 1, y: 2, s: "a" }, { x: 2, y: 3, s: "b" }], { x: "x", y: "y", stroke: "s" })] });
const nb = { cells: [{ cell_type: "code", execution_count: 1, metadata: {}, source: "x", outputs: [
  { output_type: "display_data", data: a[Symbol.for("Jupyter.display")](), metadata: {} },
  { output_type: "execute_result", execution_count: 1, data: b[Symbol.for("Jupyter.display")](), metadata: {} } ] }],
  metadata: { kernelspec: { name: "statarb", display_name: "TypeScript (statarb)", language: "typescript" } }, nbformat: 4, nbformat_minor: 5 };
writeFileSync("/tmp/nbdev/fake.ipynb", JSON.stringify(nb));
console.log(a.markup.slice(0, 200)); console.log(b.markup.slice(0, 400));
