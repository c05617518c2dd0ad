/**
 * The widget models' side of the protocol in-process (kernel/display/widgets.ts over a CommRegistry
 * whose sender records the messages): echo_update before the observers (off with
 * JUPYTER_WIDGETS_ECHO=0), front-end values checked (a slider's clamped and rounded, a bad dropdown
 * index refused, the model names fixed) with the kernel's value sent back, and Output.capture setting
 * msg_id to the request being handled, also around a promise.
 */
import { afterEach, describe, expect, it } from "vitest";
import { CommRegistry } from "../../kernel/comms.js";
import { createWidgets } from "../../kernel/display/widgets.js";

type Sent = { type: string; content: Record<string, any> };

function setup() {
  const sent: Sent[] = [];
  const comms = new CommRegistry();
  comms.sender = { send: (type, content) => void sent.push({ type, content }) };
  const clears: boolean[] = [];
  const w = createWidgets(comms, (wait) => void clears.push(wait));
  const msgs = (id: string) => sent.filter((m) => m.type === "comm_msg" && m.content["comm_id"] === id).map((m) => m.content["data"]);
  return { sent, comms, w, msgs, clears };
}

describe("widget models (in-process)", () => {
  afterEach(() => {
    delete process.env["JUPYTER_WIDGETS_ECHO"];
  });

  it("echoes a front end's update first, then runs the observers; JUPYTER_WIDGETS_ECHO=0 turns the echo off", () => {
    const { comms, w, msgs } = setup();
    const s = w.slider({ min: 0, max: 10, value: 2 });
    const order: string[] = [];
    s.observe((v) => order.push(`observer ${v} after ${msgs(s.modelId).length} messages`));
    comms.messageFromPeer(s.modelId, { method: "update", state: { value: 4, unknown_field: 1 }, buffer_paths: [] }, []);
    expect(msgs(s.modelId)).toEqual([{ method: "echo_update", state: { value: 4 }, buffer_paths: [] }]);
    expect(order).toEqual(["observer 4 after 1 messages"]);
    process.env["JUPYTER_WIDGETS_ECHO"] = "0";
    comms.messageFromPeer(s.modelId, { method: "update", state: { value: 5 }, buffer_paths: [] }, []);
    expect(msgs(s.modelId)).toHaveLength(1);
    expect(s.value).toBe(5);
  });

  it("clamps and rounds a slider's value from the front end, refuses a bad dropdown index and model-name changes, and says so", () => {
    const { comms, w, msgs } = setup();
    const s = w.slider({ min: 0, max: 10, value: 2 });
    const seen: number[] = [];
    s.observe((v) => seen.push(v));
    comms.messageFromPeer(s.modelId, { method: "update", state: { value: 99 }, buffer_paths: [] }, []);
    comms.messageFromPeer(s.modelId, { method: "update", state: { value: 3.6 }, buffer_paths: [] }, []);
    comms.messageFromPeer(s.modelId, { method: "update", state: { value: "x", _model_name: "Evil" }, buffer_paths: [] }, []);
    expect(seen).toEqual([10, 4]);
    expect(s.value).toBe(4);
    expect(msgs(s.modelId).filter((d) => d.method === "update")).toEqual([
      { method: "update", state: { value: 10 }, buffer_paths: [] },
      { method: "update", state: { value: 4 }, buffer_paths: [] },
      { method: "update", state: { value: 4 }, buffer_paths: [] },
    ]);
    const f = w.floatSlider({ min: 0, max: 1, step: 0.1 });
    comms.messageFromPeer(f.modelId, { method: "update", state: { value: 0.25 }, buffer_paths: [] }, []);
    expect(f.value).toBe(0.25);
    const d = w.dropdown({ options: ["a", "b"] });
    comms.messageFromPeer(d.modelId, { method: "update", state: { index: 7 }, buffer_paths: [] }, []);
    expect(d.value).toBe("a");
    expect(msgs(d.modelId).at(-1)).toEqual({ method: "update", state: { index: 0 }, buffer_paths: [] });
    comms.messageFromPeer(d.modelId, { method: "update", state: { index: 1 }, buffer_paths: [] }, []);
    expect(d.value).toBe("b");
  });

  it("capture sets msg_id to the request being handled and back to '' after (after a promise settles too)", async () => {
    const { comms, w, msgs, clears } = setup();
    const out = w.output();
    expect(out.capture(() => 1)).toBe(1); // no request known: runs without capturing
    expect(msgs(out.modelId)).toEqual([]);
    comms.parentMsgId = "cell-1";
    expect(out.capture(() => out.capture(() => "nested"), { clear: true })).toBe("nested");
    expect(clears).toEqual([true]);
    expect(msgs(out.modelId).map((d) => d.state.msg_id)).toEqual(["cell-1", ""]);
    comms.parentMsgId = "comm-2";
    let release!: () => void;
    const p = out.capture(() => new Promise<void>((r) => (release = r)));
    expect(msgs(out.modelId).map((d) => d.state.msg_id)).toEqual(["cell-1", "", "comm-2"]);
    release();
    await p;
    expect(msgs(out.modelId).map((d) => d.state.msg_id)).toEqual(["cell-1", "", "comm-2", ""]);
    expect(() => out.capture(() => {
      throw new Error("boom");
    })).toThrow("boom");
    expect(msgs(out.modelId).at(-1)!.state.msg_id).toBe("");
    expect(() => out.capture(() => 1, { clear: 1 } as never)).toThrow(TypeError);
  });
});
