/**
 * Widgets in real JupyterLab (headless Chromium, test/kernel/lab-browser.ts): a statarb cell makes a
 * slider bound to an Observable Plot figure drawn inside an Output widget (`out.capture`, by msg_id);
 * dragging the slider in the page makes the kernel redraw the figure, and the SVG in the page changes.
 * Checked on the way: JupyterLab's widget manager renders the kernel's models (IntSlider, Output), the
 * kernel's echo_update is accepted (the readout keeps the dragged value), the captured figure shows in
 * the Output widget and not as a cell output. Screenshot: out/jupyterlab-widgets.png.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "./helpers.js";
import { labMissing, type LabSession, runCell, startLabSession, statarbNotebook } from "./lab-browser.js";

const missing = labMissing();
const CELL = [
  'import * as Plot from "@observablehq/plot";',
  'import { renderPlot } from "statarb";',
  "const wave = (k: number) => renderPlot({ width: 420, height: 180, marks: [Plot.lineY(Array.from({ length: 80 }, (_, i) => Math.sin((i * k) / 20)))] });",
  'const k = widgets.slider({ min: 1, max: 20, value: 3, description: "k" });',
  "const fig = widgets.output();",
  "let redraws = 0;",
  "k.observe((v) => fig.capture(() => { redraws++; display(wave(v)); }, { clear: true }));",
  "display(k);",
  "display(fig);",
  "fig.capture(() => display(wave(k.value)));",
].join("\n");

describe.skipIf(missing !== undefined)(`widgets in JupyterLab (headless Chromium) ${missing ?? ""}`, () => {
  let lab: LabSession | undefined;

  beforeAll(async () => {
    lab = await startLabSession({ "widgets.ipynb": statarbNotebook([CELL, "`${redraws} ${k.value}`"]) });
  });

  afterAll(async () => {
    await lab?.close();
  });

  it("moving a slider redraws the plotted figure in the Output widget", async () => {
    const { page, external } = await lab!.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(lab!.url("widgets.ipynb"));
    // the kernel is up once the toolbar's status says idle
    await page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first().waitFor({ timeout: 180_000 });
    await runCell(page, 0);

    const cell = page.locator(".jp-Notebook .jp-Cell").first();
    const handle = cell.locator(".widget-slider .noUi-handle").first();
    // JupyterLab shows image/svg+xml as an <img> of the SVG (or inline, for other renderers)
    const FIGURE = ".widget-output .jp-OutputArea-output img, .widget-output .jp-OutputArea-output svg";
    const figure = cell.locator(FIGURE).first();
    const shown = () => figure.evaluate((e) => e.getAttribute("src") ?? e.outerHTML);
    const fail = async (what: string, err: unknown) => {
      await page.screenshot({ path: join(repoRoot, "out", "jupyterlab-widgets-failed.png") });
      throw new Error(`${what}: ${String(err)}\ncell: ${(await cell.innerText().catch(() => "")).slice(0, 2000)}\npage errors: ${errors.join("\n")}`);
    };
    await handle.waitFor({ timeout: 120_000 }).catch((e: unknown) => fail("no slider", e));
    await figure.waitFor({ timeout: 120_000 }).catch((e: unknown) => fail("no figure in the Output widget", e));
    const readout = cell.locator(".widget-readout").first();
    expect(await readout.innerText()).toBe("3");
    const before = await shown();
    expect(decodeURIComponent(before)).toContain("<path");
    // captured into the widget: no figure among the cell's outputs but the one in the Output widget
    expect(await cell.locator(".jp-OutputArea-output img, .jp-OutputArea-output svg").count()).toBe(1);

    // drag the slider's handle to the right
    const box = (await handle.boundingBox())!;
    const track = (await cell.locator(".widget-slider .noUi-target").first().boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(track.x + track.width * 0.6, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();

    await expect.poll(() => readout.innerText(), { timeout: 30_000 }).not.toBe("3");
    const moved = Number(await readout.innerText());
    expect(moved).toBeGreaterThan(3);
    await expect
      .poll(async () => (await shown().catch(() => before)) !== before, { timeout: 120_000 })
      .toBe(true)
      .catch((e: unknown) => fail("the figure did not change", e));
    // the value the kernel saw is the one the page shows (the echo did not snap the slider back)
    await page.waitForTimeout(1500);
    expect(await readout.innerText()).toBe(String(moved));
    expect(await cell.locator(FIGURE).count()).toBe(1);
    expect(await cell.locator(".jp-OutputArea-output img, .jp-OutputArea-output svg").count()).toBe(1);
    await page.screenshot({ path: join(repoRoot, "out", "jupyterlab-widgets.png") });

    // the kernel redrew for the drag (its observer ran), and its slider value is the one the page shows
    await runCell(page, 1);
    const second = page.locator(".jp-Notebook .jp-Cell").nth(1).locator(".jp-OutputArea-output").first();
    await expect.poll(() => second.innerText().catch(() => ""), { timeout: 60_000 }).toMatch(/^'\d+ \d+'$/);
    const [redraws, kernelValue] = (await second.innerText()).slice(1, -1).split(" ").map(Number);
    expect(redraws).toBeGreaterThanOrEqual(1);
    expect(kernelValue).toBe(moved);
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 420_000);
});
