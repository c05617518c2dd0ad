/**
 * papermill runs a statarb notebook with parameters (the translator in kernel/papermill/ turns them
 * into TypeScript declarations after the `parameters` cell), and nbconvert's HTML of an executed
 * notebook shows the Plot SVG and the Panel table.
 */
import { execa } from "execa";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureKernelInstalled, jupyterMissing, pythonJson, repoRoot, venvPython } from "./helpers.js";

interface Result {
  params: { cells: { source: string | string[]; metadata: { tags?: string[] }; outputs: { output_type: string; data?: Record<string, unknown>; text?: string | string[] }[] }[] };
  html: string;
  helpNotebook: string;
}

async function translatorMissing(): Promise<string | undefined> {
  const r = await execa(venvPython, ["-c", "import statarb_papermill"], { reject: false });
  return r.exitCode === 0 ? undefined : "skipped: statarb_papermill is not installed in .venv (scripts/setup installs kernel/papermill)";
}

const missing = jupyterMissing() ?? (await translatorMissing());
let r: Result;
const text = (v: unknown) => (Array.isArray(v) ? v.join("") : String(v ?? ""));

describe.skipIf(missing !== undefined)(`papermill and nbconvert ${missing ?? ""}`, () => {
  beforeAll(async () => {
    await ensureKernelInstalled();
    const tmp = join(repoRoot, "test", ".tmp", "kernel");
    mkdirSync(tmp, { recursive: true });
    r = await pythonJson<Result>("test/kernel/scripts/papermill_nbconvert.py", [tmp]);
  });

  it("injects TypeScript declarations after the parameters cell", () => {
    const injected = r.params.cells.find((c) => c.metadata.tags?.includes("injected-parameters"));
    const src = text(injected?.source);
    expect(src).toContain("let lookback = 60;");
    expect(src).toContain('let universe = ["KO", "PEP"];');
    expect(src).toContain("let config = {z: 5.5, nested: [1, 2]};");
    expect(src).toContain("let flag = false;");
    expect(src).toContain("let missing = null;");
  });

  it("runs the notebook with the parameters replacing the defaults", () => {
    const last = r.params.cells.at(-1);
    const out = last?.outputs.find((o) => o.output_type === "stream");
    const json = JSON.parse(text(out?.text)) as unknown;
    expect(json).toEqual({ lookback: 60, universe: ["KO", "PEP"], config: { z: 5.5, nested: [1, 2] }, label: "run 1", flag: false, missing: null });
  });

  it("lists the parameters cell's declarations for papermill --help-notebook", () => {
    expect(r.helpNotebook).toMatch(/lookback: number \(default 20\)/);
    expect(r.helpNotebook).toMatch(/universe: string\[\] \(default \["AAPL"\]\)/);
    expect(r.helpNotebook).toMatch(/flag: boolean \(default true\)/);
  });

  it("converts an executed notebook to HTML with the SVG plot and the HTML table", () => {
    // nbconvert embeds image/svg+xml outputs as <img src="data:image/svg+xml;base64,…">.
    const svgs = [...r.html.matchAll(/<img[^>]+src="data:image\/svg\+xml;base64,([^"]+)"/g)].map((m) => Buffer.from(m[1] as string, "base64").toString("utf8"));
    const plot = svgs.find((s) => /class="plot-/.test(s));
    expect(plot).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<path[\s\S]*stroke="steelblue"/);
    expect(r.html).toMatch(/<table class="statarb-panel"[\s\S]*KO[\s\S]*PEP/);
  });
});
