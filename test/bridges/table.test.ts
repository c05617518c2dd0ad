/** The table a %%R / %%octave cell shows for its last value: decoding the wire node, HTML and text, bounds. */
import { describe, expect, it } from "vitest";
import { cellText, decodeTable, tableDisplay, tableHtml, tableText, type TableNode } from "../../bridges/core/table.js";
import { encodeValue, R_NA_REAL } from "../../bridges/core/values.js";

function node(columns: unknown[], extra: Partial<TableNode>): { node: TableNode; blobs: Uint8Array[] } {
  const { node: list, blobs } = encodeValue(columns);
  const cols = (list as { v: TableNode["cols"] }).v;
  return { node: { t: "table", kind: "data.frame", nrow: 3, ncol: columns.length, cols, ...extra }, blobs };
}

describe("bridge tables", () => {
  it("decodes columns of every type and prints numbers exactly, NA / NaN / Inf as R does", () => {
    const third = 1 / 3;
    const { node: n, blobs } = node([Float64Array.of(third, R_NA_REAL, Number.NaN), Int32Array.of(7, -2147483648, 0), [true, null, false], ["a<b", null, "c"]], { colnames: ["x", "n", "ok", "s"] });
    const t = decodeTable(n, blobs);
    expect(t.types).toEqual(["double", "integer", "logical", "character"]);
    expect(t.rowNames).toBeUndefined();
    expect(Number(cellText(t.columns[0]!, 0, "double"))).toBe(third); // the text reads back as the same float64
    expect(cellText(t.columns[0]!, 0, "double")).toBe("0.3333333333333333");
    expect([1, 2].map((i) => cellText(t.columns[0]!, i, "double"))).toEqual(["NA", "NaN"]);
    expect(cellText(Float64Array.of(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-300), 1, "double")).toBe("-Inf");
    expect(cellText(Float64Array.of(1e-300), 0, "double")).toBe("1e-300");
    expect(tableText(t, "R")).toBe(
      ["                   x  n ok    s", "1 0.3333333333333333  7 TRUE  a<b", "2                 NA NA NA    <NA>", "3                NaN  0 FALSE c", "[R data.frame: 3 rows × 4 columns]"].join("\n"),
    );
    const html = tableHtml(t, "R");
    expect(html).toContain("<th>s</th>");
    expect(html).toContain("<td>a&lt;b</td>");
    expect(html).toContain('<td style="text-align: right;">0.3333333333333333</td>');
    expect(html).toContain("<td>&lt;NA&gt;</td>");
  });

  it("keeps row and column names, and says how many rows and columns were left out", () => {
    const { node: n, blobs } = node([Float64Array.of(1, 2), Float64Array.of(3, 4)], { kind: "matrix", nrow: 120, ncol: 60, rownames: ["r1", "r2"], colnames: ["c1", "c2"], name: "m" });
    const t = decodeTable(n, blobs);
    expect(tableText(t, "Octave")).toBe(["   c1 c2", "r1  1  3", "r2  2  4", "[m: Octave matrix: 120 rows × 60 columns; … 118 more rows, … 58 more columns]"].join("\n"));
    expect(tableHtml(t, "Octave")).toContain("<p>… 118 more rows, … 58 more columns; m: Octave matrix: 120 rows × 60 columns</p>");
    const bundle = (tableDisplay(t, "Octave") as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]!();
    expect(Object.keys(bundle).sort()).toEqual(["text/html", "text/plain"]);
    expect(bundle["text/plain"]).toBe(tableText(t, "Octave"));
  });

  it("labels unnamed matrix rows and columns as each language does", () => {
    const { node: n, blobs } = node([Float64Array.of(1, 2), Float64Array.of(3, 4)], { kind: "matrix", nrow: 2 });
    expect(tableText(decodeTable(n, blobs), "R").split("\n").slice(0, 2)).toEqual(["     [,1] [,2]", "[1,]    1    3"]);
    expect(tableText(decodeTable(n, blobs), "Octave").split("\n").slice(0, 2)).toEqual(["  1 2", "1 1 3"]);
  });

  it("refuses a column that is not a vector", () => {
    expect(() => decodeTable({ t: "table", kind: "data.frame", nrow: 1, ncol: 1, cols: [{ t: "list", v: [] }] }, [])).toThrow(/column 1 is not a vector \(list\)/);
  });
});
