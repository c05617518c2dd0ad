/**
 * Through jupyter_client (test/kernel/scripts/display_checks.py): an array of plain row objects is an
 * HTML table, and lib's progressBar() in a cell is one display updated in place.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ensureKernelInstalled, jupyterMissing, pythonJson } from "./helpers.js";

type Output = { type: string; data?: Record<string, string>; transient?: { display_id?: string } };
const missing = jupyterMissing();
let checks: { rows: Output[]; notRows: Output[]; progress: Output[] };

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
});
