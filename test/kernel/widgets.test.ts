/**
 * Through jupyter_client (test/kernel/scripts/widget_checks.py): the `widgets` global speaks the Jupyter
 * widgets comm protocol 2.1.0 — comm_open on target jupyter.widget with the controls 2.0.0 state, the
 * widget-view mime, a front end's update reaching the cell's observer (which redraws an Output widget),
 * request_state answered with the full state, and a button's click event.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ensureKernelInstalled, jupyterMissing, pythonJson } from "./helpers.js";

type Msg = { type: string; content: Record<string, any>; metadata: Record<string, unknown> };
const missing = jupyterMissing();
let c: { make: Msg[]; update: Msg[]; requestState: Msg[]; click: Msg[]; after: Msg[]; bad: Msg[]; opens: Record<string, string> };

describe.skipIf(missing !== undefined)(`kernel widgets ${missing ?? ""}`, () => {
  beforeAll(async () => {
    await ensureKernelInstalled({ sources: ["kernel", "lib"] });
    c = await pythonJson("test/kernel/scripts/widget_checks.py");
  }, 300_000);

  it("opens jupyter.widget comms with protocol 2.1.0 state and shows the widget-view mime", () => {
    const opens = c.make.filter((m) => m.type === "comm_open");
    for (const o of opens) {
      expect(o.content["target_name"]).toBe("jupyter.widget");
      expect(o.metadata).toEqual({ version: "2.1.0" });
      expect(o.content["data"].buffer_paths).toEqual([]);
    }
    const slider = opens.find((o) => o.content["data"].state._model_name === "IntSliderModel")!.content["data"].state;
    expect(slider).toMatchObject({ _model_module: "@jupyter-widgets/controls", _model_module_version: "2.0.0", _view_name: "IntSliderView", min: 0, max: 20, value: 3, step: 1, description: "lookback" });
    const layoutId = (slider.layout as string).replace(/^IPY_MODEL_/, "");
    const layout = opens.find((o) => o.content["comm_id"] === layoutId)!.content["data"].state;
    expect(layout).toMatchObject({ _model_name: "LayoutModel", _model_module: "@jupyter-widgets/base", _model_module_version: "2.0.0" });
    const style = opens.find((o) => `IPY_MODEL_${o.content["comm_id"]}` === slider.style)!.content["data"].state;
    expect(style._model_name).toBe("SliderStyleModel");
    const output = opens.find((o) => o.content["data"].state._model_name === "OutputModel")!.content["data"].state;
    expect(output).toMatchObject({ _model_module: "@jupyter-widgets/output", _model_module_version: "1.0.0", outputs: [] });
    const views = c.make.filter((m) => m.type === "display_data").map((m) => m.content["data"]["application/vnd.jupyter.widget-view+json"]);
    expect(views[0]).toEqual({ model_id: c.opens["IntSliderModel"], version_major: 2, version_minor: 1 });
    expect(views.map((v) => v.model_id)).toEqual([c.opens["IntSliderModel"], c.opens["OutputModel"], c.opens["ButtonModel"]]);
  });

  it("runs the cell's observer on a front-end update; answers request_state; calls click handlers", () => {
    const outputUpdates = c.update.filter((m) => m.type === "comm_msg" && m.content["comm_id"] === c.opens["OutputModel"]).map((m) => m.content["data"]);
    expect(outputUpdates.at(-1)).toEqual({ method: "update", state: { outputs: [{ output_type: "display_data", data: { "text/plain": "'lookback=7'" }, metadata: {} }] }, buffer_paths: [] });
    const full = c.requestState.find((m) => m.content["comm_id"] === c.opens["IntSliderModel"])!.content["data"];
    expect(full.method).toBe("update");
    expect(full.state).toMatchObject({ _model_name: "IntSliderModel", value: 7, min: 0, max: 20 });
    const clicked = c.click.find((m) => m.content["comm_id"] === c.opens["OutputModel"])!.content["data"];
    expect(clicked.state.outputs.at(-1)).toEqual({ output_type: "stream", name: "stdout", text: "clicked\n" });
    const after = JSON.parse(c.after.find((m) => m.type === "execute_result")!.content["data"]["text/plain"].slice(1, -1).replaceAll("\\\\", "\\"));
    expect(after).toMatchObject({ seen: [7], clicks: 1, value: 7 });
    expect(after.outputs).toHaveLength(2);
  });

  it("rejects bad options naming the argument", () => {
    const err = c.bad.find((m) => m.type === "error")!.content;
    expect(err["ename"]).toBe("RangeError");
    expect(err["evalue"]).toBe("widgets.slider: min (5) must be below max (1)");
  });
});
