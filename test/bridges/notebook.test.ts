/**
 * A notebook with %%R / %%octave cells and %put / %get, executed by nbclient (a real Jupyter client)
 * on the statarb kernel, which registers bridgeMagics() from dist/bridges at start.
 */
import { execa } from "execa";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { findExecutable } from "../../bridges/core/transport.js";
import { hasVenv, repoRoot, venvPython } from "../helpers/python.js";
import { retryPortRace } from "../helpers/port-race.js";
import { ensureKernelInstalled } from "../kernel/helpers.js";

interface Output {
  output_type: string;
  name?: string;
  data?: Record<string, unknown>;
  text?: string | string[];
  ename?: string;
  evalue?: string;
}
interface Notebook {
  cells: { outputs: Output[] }[];
}

const hasR = findExecutable("Rscript") !== undefined;
const hasOctave = findExecutable("octave-cli") !== undefined;
const hasJupyter = hasVenv() && existsSync(join(repoRoot, ".venv", "bin", "jupyter"));
const reason = !hasJupyter ? "skipped: .venv/bin/jupyter is missing (bash scripts/setup)" : !hasR ? "skipped: no Rscript" : !hasOctave ? "skipped: no octave-cli" : undefined;

const text = (v: unknown): string => (Array.isArray(v) ? v.join("") : String(v ?? ""));

describe.skipIf(reason !== undefined)(reason ? `polyglot notebook (${reason})` : "polyglot notebook under nbclient", () => {
  let nb: Notebook;
  const outs = (i: number): Output[] => nb.cells[i]?.outputs ?? [];
  const stream = (i: number): string => outs(i).filter((o) => o.output_type === "stream").map((o) => text(o.text)).join("");
  const result = (i: number): string => text(outs(i).find((o) => o.output_type === "execute_result")?.data?.["text/plain"]);

  beforeAll(async () => {
    // the kernel loads dist/bridges/magics.js: rebuild dist when bridges/ or kernel/ is newer, install the kernelspec
    await ensureKernelInstalled({ sources: ["bridges", "kernel"], stamp: "dist/bridges/magics.js" });
    const outDir = join(repoRoot, "test", ".tmp", "bridges");
    mkdirSync(outDir, { recursive: true });
    const { stdout } = await retryPortRace(() =>
      execa(venvPython, [join("test", "bridges", "scripts", "run_notebook.py"), join("test", "bridges", "notebooks", "polyglot.ipynb"), join(outDir, "polyglot.ipynb")], {
        cwd: repoRoot,
        timeout: 110_000,
        maxBuffer: 1 << 28,
      }),
    );
    nb = JSON.parse(stdout) as Notebook;
  }, 115_000);

  it("%put sends TS variables to R, %%R prints, plots and keeps state, %get brings a value back", () => {
    expect(outs(1).filter((o) => o.output_type === "error")).toEqual([]);
    expect(stream(2)).toBe("A B \n2 5 \n");
    const png = outs(2).find((o) => o.output_type === "display_data");
    expect(Buffer.from(text(png?.data?.["image/png"]), "base64").subarray(1, 4).toString()).toBe("PNG");
    expect(result(4)).toBe("8");
  });

  it("%%R -i / -o move variables around a cell", () => {
    expect(result(6)).toBe("'1,3'");
  });

  it("%%octave runs with Octave's display, figures come back as SVG, %get reads its workspace", () => {
    expect(stream(7)).toBe("v =\n\n   0.5000   1.5000\n\n");
    expect(text(outs(8).find((o) => o.output_type === "display_data")?.data?.["image/svg+xml"])).toMatch(/<svg/);
    expect(result(10)).toBe("'0.5,1.5'");
  });

  it("a %%R cell's last data.frame is its result: an HTML table with a text/plain twin, exact numbers, NA/NaN/Inf, names, R's print left out", () => {
    expect(stream(13)).toBe("rows: 5 \n");
    const res = outs(13).find((o) => o.output_type === "execute_result");
    const html = text(res?.data?.["text/html"]);
    expect(html).toContain("<th></th><th>x</th><th>n</th><th>s</th>");
    expect(html).toContain('<tr><th>r1</th><td style="text-align: right;">0.3333333333333333</td><td style="text-align: right;">1</td><td>a&lt;b</td></tr>');
    expect(html).toContain('<tr><th>r2</th><td style="text-align: right;">NA</td><td style="text-align: right;">NA</td><td>&lt;NA&gt;</td></tr>');
    expect(html).toContain('<tr><th>r3</th><td style="text-align: right;">NaN</td>');
    expect(html).toContain('<td style="text-align: right;">-Inf</td>');
    expect(text(res?.data?.["text/plain"]).split("\n")).toEqual([
      "                    x  n s",
      "r1 0.3333333333333333  1 a<b",
      "r2                 NA NA <NA>",
      "r3                NaN  3 c",
      "r4                Inf  4 d",
      "r5               -Inf  5 e",
      "[R data.frame: 5 rows × 3 columns]",
    ]);
    // bounded: 50 of 120 rows, and the count of the rest
    const big = text(outs(14).find((o) => o.output_type === "execute_result")?.data?.["text/html"]);
    expect(big.match(/<tr><th>/g)).toHaveLength(50);
    expect(big).toContain("<p>… 70 more rows; R data.frame: 120 rows × 2 columns</p>");
    expect(outs(14).filter((o) => o.output_type === "stream")).toEqual([]);
  });

  it("a %%octave cell whose last display is a matrix shows it as a table instead of Octave's printout", () => {
    expect(outs(15).filter((o) => o.output_type === "stream")).toEqual([]);
    const res = outs(15).find((o) => o.output_type === "execute_result");
    expect(text(res?.data?.["text/plain"]).split("\n")).toEqual(["                    1    2", "1 0.30000000000000004   NA", "2                 NaN -Inf", "3              1e-300    2", "[M: Octave matrix: 3 rows × 2 columns]"]);
    expect(text(res?.data?.["text/html"])).toContain('<tr><th>1</th><td style="text-align: right;">0.30000000000000004</td><td style="text-align: right;">NA</td></tr>');
  });

  it("R's error is the cell's error and the next %%R cell still runs in the same session", () => {
    const err = outs(11).find((o) => o.output_type === "error");
    expect(err?.ename).toBe("RError");
    expect(err?.evalue).toBe("Error: from R");
    expect(stream(12)).toBe("still alive: 4 \n");
  });
});
