/**
 * Through jupyter_client (test/kernel/scripts/display_checks.py): an array of plain row objects is an
 * HTML table, lib's progressBar() in a cell is one display updated in place, and inspect_request
 * (Shift+Tab) on a stats result shows its statsmodels-like summary beside the type.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ensureKernelInstalled, jupyterMissing, pythonJson } from "./helpers.js";

type Output = { type: string; data?: Record<string, string>; transient?: { display_id?: string } };
const missing = jupyterMissing();
type Inspect = { status: string; found: boolean; data: Record<string, string> };
let checks: { rows: Output[]; notRows: Output[]; progress: Output[]; statsCell: Output[] } & { [K in "inspectFit" | "inspectFitMiddle" | "inspectNested" | "inspectAdf" | "inspectPca" | "inspectPlain"]: Inspect };

describe.skipIf(missing !== undefined)(`kernel displays ${missing ?? ""}`, () => {
  beforeAll(async () => {
    await ensureKernelInstalled({ sources: ["kernel", "lib"] });
    checks = await pythonJson("test/kernel/scripts/display_checks.py");
  }, 300_000);

  it("shows an array of plain row objects as a table (every key a column), other arrays as text", () => {
    const result = checks.rows.find((o) => o.type === "execute_result")!;
    const html = result.data!["text/html"]!;
    expect(html).toMatch(/<caption>2 rows × 4 columns<\/caption>/);
    expect(html).toMatch(/<th>date<\/th><th>ticker<\/th><th>pnl<\/th><th>note<\/th>/);
    expect(html).toContain("<tr><th>1</th><td>2024-01-03</td><td>GE</td><td>-0.25</td><td>x</td></tr>");
    expect(result.data!["text/plain"]).toContain("ticker: 'GE'");
    expect(Object.keys(checks.notRows.find((o) => o.type === "execute_result")!.data!)).toEqual(["text/plain"]);
  });

  it("draws progressBar() as one display updated in place", () => {
    const shown = checks.progress.filter((o) => o.type === "display_data");
    const updates = checks.progress.filter((o) => o.type === "update_display_data");
    expect(shown).toHaveLength(1);
    expect(updates).toHaveLength(3);
    const id = shown[0]!.transient!.display_id;
    expect(id).toBeTruthy();
    for (const u of updates) expect(u.transient!.display_id).toBe(id);
    expect(updates.at(-1)!.data!["text/html"]).toMatch(/<progress value="1.0000" max="1"/);
    expect(updates.at(-1)!.data!["text/plain"]).toMatch(/^job █{24}\s+100% 4\/4 steps/);
    expect(checks.progress.some((o) => o.type === "stream")).toBe(false); // nothing on stderr
  });

  it("inspects an OLS fit, an ADF test and a PCA with their summaries (also through a.b.c and mid-name)", () => {
    expect(checks.statsCell.find((o) => o.type === "execute_result")!.data!["text/plain"]).toBe("120");
    const fit = checks.inspectFit;
    expect(fit).toMatchObject({ status: "ok", found: true });
    expect(fit.data["text/plain"]).toMatch(/^const fit: OLSResult[\s\S]*\n\nValue:\n\s+OLS Regression Results\n=+\nModel:\s+OLS\s+R-squared:\s+0\.\d+/);
    expect(fit.data["text/plain"]).toMatch(/No\. Observations:\s+120\s/);
    expect(fit.data["text/plain"]).toMatch(/\nconst\s+2\.\d{4}\s+0\.\d{3}\s+\d+\.\d{3}\s+0\.000\s/);
    expect(fit.data["text/plain"]).toMatch(/\nx0\s+0\.\d{4}\s/);
    expect(fit.data["text/markdown"]).toContain("**Value:**\n\n```text\n");
    expect(checks.inspectFitMiddle.data["text/plain"]).toContain("OLS Regression Results");
    expect(checks.inspectNested.data["text/plain"]).toContain("OLS Regression Results");
    const adf = checks.inspectAdf.data["text/plain"];
    expect(adf).toMatch(/ADF statistic:\s+-?\d+\.\d{4}\s+p-value:/);
    expect(adf).toMatch(/Critical values:\s+1%: -3\.\d{3}\s+5%: -2\.\d{3}\s+10%: -2\.\d{3}/);
    expect(adf).toMatch(/Lags used:\s+\d+/);
    expect(checks.inspectPca.data["text/plain"]).toMatch(/PCA: 2 of 2 components[\s\S]*PC1\s+1\.\d{4}\s+0\.\d{4}\s+0\.\d{4}/);
    // values without a text of their own get only the type
    expect(checks.inspectPlain.data["text/plain"]).not.toContain("Value:");
  });
});
