/**
 * Through jupyter_client (test/kernel/scripts/widget_checks.py): the `widgets` global speaks the Jupyter
 * widgets comm protocol 2.1.0 — comm_open on target jupyter.widget with the controls 2.0.0 state, the
 * widget-view mime, a front end's update echoed back (echo_update, ipywidgets 8) and reaching the cell's
 * observer (which redraws an Output widget), request_state answered with the full state, a button's
 * click event, and an Output widget capturing a cell's and an observer's output by msg_id.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ensureKernelInstalled, jupyterMissing, pythonJson } from "./helpers.js";

type Msg = { type: string; content: Record<string, any>; metadata: Record<string, unknown> };
const missing = jupyterMissing();
let c: {
  make: Msg[]; update: Msg[]; updateId: string; requestState: Msg[]; click: Msg[]; after: Msg[]; bad: Msg[]; opens: Record<string, string>;
  capture: Msg[]; captureId: string; captureOutput: string; observerCapture: Msg[]; observerCaptureId: string;
};

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

  it("echoes a front end's update (its known fields) before the observers run", () => {
    const slider = c.opens["IntSliderModel"];
    const fromSlider = c.update.filter((m) => m.type === "comm_msg" && m.content["comm_id"] === slider).map((m) => m.content["data"]);
    expect(fromSlider).toEqual([{ method: "echo_update", state: { value: 7 }, buffer_paths: [] }]);
    // the echo (parented by the front end's comm_msg, as collected here) comes before the observer's output
    const first = c.update.findIndex((m) => m.type === "comm_msg");
    expect(c.update[first]!.content["comm_id"]).toBe(slider);
    const full = c.requestState.find((m) => m.content["comm_id"] === slider)!.content["data"];
    expect(full.state).not.toHaveProperty("not_a_field");
  });

  it("captures output into an Output widget by msg_id: a cell's, then an observer's", () => {
    const out = c.captureOutput;
    const seq = c.capture
      .filter((m) => (m.type === "comm_msg" && m.content["comm_id"] === out) || m.type === "stream" || m.type === "display_data")
      .map((m) => (m.type === "comm_msg" ? `msg_id=${m.content["data"].state.msg_id}` : m.type === "stream" ? `stream:${m.content["text"]}` : `display:${Object.keys(m.content["data"]).join(",")}`));
    expect(seq.filter((x) => !x.startsWith("display:application/vnd.jupyter.widget-view"))).toEqual([`msg_id=${c.captureId}`, "stream:inside\n", "display:text/html,text/plain", "msg_id=", "stream:outside 5\n"]);
    const obs = c.observerCapture.map((m) => (m.type === "comm_msg" ? `${m.content["comm_id"] === out ? "out" : "slider"}:${m.content["data"].method}:${JSON.stringify(m.content["data"].state)}` : `${m.type}:${JSON.stringify(m.content)}`));
    expect(obs).toEqual([
      'slider:echo_update:{"value":5}',
      `out:update:{"msg_id":"${c.observerCaptureId}"}`,
      'clear_output:{"wait":true}',
      'stream:{"name":"stdout","text":"k=5\\n"}',
      'out:update:{"msg_id":""}',
    ]);
  });

  it("rejects bad options naming the argument", () => {
    const err = c.bad.find((m) => m.type === "error")!.content;
    expect(err["ename"]).toBe("RangeError");
    expect(err["evalue"]).toBe("widgets.slider: min (5) must be below max (1)");
  });
});
