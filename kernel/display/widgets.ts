/**
 * The `widgets` global: Jupyter widgets (comm target `jupyter.widget`, widget protocol 2.1.0, the
 * models of @jupyter-widgets/controls 2.0.0 / output 1.0.0 that JupyterLab 4 renders) — IntSlider,
 * FloatSlider, Dropdown, Button and an Output area — so a notebook can drive a cell's code live.
 * Each widget opens its comm when created; `display(widget)` shows its view. The front end's
 * `update` messages change the kernel-side state (its known fields only, checked: a slider's value
 * clamped and rounded, a bad dropdown index refused, the kernel's value then sent back) and call the
 * observers, after an `echo_update` of those fields back to every front end (protocol 2.1.0; ipywidgets
 * 8's default — `JUPYTER_WIDGETS_ECHO=0` turns it off, as for ipywidgets); `request_state` is answered
 * with the full state; a button's `custom` click event calls its click handlers. An Output widget
 * captures by msg_id: `out.capture(fn)` sets its `msg_id` to the request being handled (the cell, or
 * the widget message whose observer runs), and the front end shows that request's outputs in it.
 */
import type { MimeBundle } from "../impl.js";
import type { Comm, CommData } from "../comms.js";
import { opt, readOptions } from "../../lib/options/index.js";
import { DISPLAY_SYMBOL, formatValueSync, type Formatted } from "./format.js";

export const WIDGET_TARGET = "jupyter.widget";
export const WIDGET_PROTOCOL_VERSION = "2.1.0";
export const WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json";
const CONTROLS = "@jupyter-widgets/controls";
const BASE = "@jupyter-widgets/base";
const OUTPUT = "@jupyter-widgets/output";

/** What widgets need of the comm registry: opening a comm from the kernel side, the request being handled. */
export interface WidgetComms {
  open(targetName: string, data?: CommData, metadata?: Record<string, unknown>): Comm;
  /** The msg_id of the request whose outputs are sent now (kernel/comms.ts); Output capture uses it. */
  readonly parentMsgId?: string | undefined;
}

/** ipywidgets' `envset("JUPYTER_WIDGETS_ECHO", default=True)`: on unless set to no, n, false, off, 0 or 0.0. */
function echoOn(): boolean {
  const v = process.env["JUPYTER_WIDGETS_ECHO"];
  return v === undefined || !["no", "n", "false", "off", "0", "0.0"].includes(v.toLowerCase());
}

type State = Record<string, unknown>;

/** Runs a user callback; its error is reported on stderr instead of breaking the comm handler. */
function safely(where: string, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    console.error(`${where}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
}

/** One widget model: its state, kept in sync with the front end over one comm. */
class Model {
  readonly comm: Comm;
  readonly state: State;

  constructor(comms: WidgetComms, module: string, version: string, name: string, view: string, viewModule: string, fields: State) {
    this.state = {
      _model_module: module,
      _model_module_version: version,
      _model_name: name,
      _view_module: viewModule,
      _view_module_version: viewModule === module ? version : "2.0.0",
      _view_name: view,
      ...fields,
    };
    this.comm = comms.open(WIDGET_TARGET, { state: this.state, buffer_paths: [] }, { version: WIDGET_PROTOCOL_VERSION });
    this.comm.onMsg((data) => this.#received(data));
  }

  get id(): string {
    return this.comm.id;
  }

  /** Changes state fields and sends them to the front end. */
  set(patch: State): void {
    Object.assign(this.state, patch);
    if (!this.comm.closed) this.comm.send({ method: "update", state: patch, buffer_paths: [] });
  }

  /** Called with the names of the fields the front end changed. */
  changed: (fields: string[]) => void = () => undefined;
  /** Called with a `custom` message's content. */
  custom: (content: Record<string, unknown>) => void = () => undefined;
  /**
   * Checks a front end's values (like traitlets' validation in ipywidgets): returns the fields to
   * apply, corrected (a slider's value clamped and rounded); a field left out is refused.
   */
  validate: (patch: State) => State = (patch) => patch;

  #received(data: CommData): void {
    const method = data["method"];
    if (method === "update" && data["state"] && typeof data["state"] === "object") {
      // like ipywidgets' set_state: only the model's own fields, echoed first to every front end (the
      // sender recognises its echo by the parent msg_id and stops ignoring the kernel's values)
      const patch = data["state"] as State;
      // the model and view names are fixed for a model's life (read-only in ipywidgets)
      const known = Object.keys(patch).filter((k) => Object.hasOwn(this.state, k) && !/^_(model|view)_/.test(k));
      if (known.length === 0) return;
      const received = Object.fromEntries(known.map((k) => [k, patch[k]]));
      if (echoOn() && !this.comm.closed) this.comm.send({ method: "echo_update", state: received, buffer_paths: [] });
      const accepted = this.validate(received);
      Object.assign(this.state, accepted);
      // a refused or corrected value goes back as an update (as ipywidgets does after validation)
      const fix = Object.fromEntries(known.filter((k) => !Object.is(accepted[k], received[k])).map((k) => [k, this.state[k]]));
      if (Object.keys(fix).length > 0 && !this.comm.closed) this.comm.send({ method: "update", state: fix, buffer_paths: [] });
      this.changed(Object.keys(accepted));
    } else if (method === "request_state") {
      this.comm.send({ method: "update", state: this.state, buffer_paths: [] });
    } else if (method === "custom" && data["content"] && typeof data["content"] === "object") {
      this.custom(data["content"] as Record<string, unknown>);
    }
  }
}

const layout = (comms: WidgetComms) => `IPY_MODEL_${new Model(comms, BASE, "2.0.0", "LayoutModel", "LayoutView", BASE, {}).id}`;
const style = (comms: WidgetComms, name: string, fields: State) => `IPY_MODEL_${new Model(comms, CONTROLS, "2.0.0", name, "StyleView", BASE, fields).id}`;

/** A widget that `display()` shows as its view. */
export abstract class Widget {
  readonly model: Model;

  constructor(model: Model) {
    this.model = model;
  }

  get modelId(): string {
    return this.model.id;
  }

  /** Closes the widget's comm (its views disappear). */
  close(): void {
    this.model.comm.close();
  }

  [DISPLAY_SYMBOL](): MimeBundle {
    const name = String(this.model.state["_model_name"]).replace(/Model$/, "");
    return { [WIDGET_VIEW_MIME]: { model_id: this.modelId, version_major: 2, version_minor: 1 }, "text/plain": `${name}(${this.describe()})` };
  }

  protected abstract describe(): string;
}

/** A widget with a value the front end changes; `observe` callbacks get the new value. */
export abstract class ValueWidget<T> extends Widget {
  readonly #observers: ((value: T) => void)[] = [];

  constructor(model: Model, field: string) {
    super(model);
    model.changed = (fields) => {
      if (!fields.includes(field)) return;
      const v = this.value;
      for (const fn of this.#observers) safely(`${this.constructor.name} observer`, () => fn(v));
    };
  }

  abstract get value(): T;

  observe(fn: (value: T) => void): this {
    if (typeof fn !== "function") throw new TypeError(`observe: expected a function, got ${typeof fn}`);
    this.#observers.push(fn);
    return this;
  }

  protected describe(): string {
    return `value=${JSON.stringify(this.value)}`;
  }
}

export class Slider extends ValueWidget<number> {
  get value(): number {
    return this.model.state["value"] as number;
  }

  set value(v: number) {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new TypeError(`Slider.value: expected a finite number, got ${String(v)}`);
    const { min, max } = this.model.state as { min: number; max: number };
    if (v < min || v > max) throw new RangeError(`Slider.value: ${v} is outside [${min}, ${max}]`);
    this.model.set({ value: v });
  }
}

export class Dropdown extends ValueWidget<string> {
  readonly options: readonly string[];

  constructor(model: Model, options: readonly string[]) {
    super(model, "index");
    this.options = options;
  }

  get value(): string {
    return this.options[this.model.state["index"] as number] ?? "";
  }

  set value(v: string) {
    const index = this.options.indexOf(v);
    if (index < 0) throw new RangeError(`Dropdown.value: ${JSON.stringify(v)} is not one of ${JSON.stringify(this.options)}`);
    this.model.set({ index });
  }
}

export class Button extends Widget {
  readonly #handlers: (() => void)[] = [];

  constructor(model: Model) {
    super(model);
    model.custom = (content) => {
      if (content["event"] === "click") for (const fn of this.#handlers) safely("Button click handler", fn);
    };
  }

  onClick(fn: () => void): this {
    if (typeof fn !== "function") throw new TypeError(`onClick: expected a function, got ${typeof fn}`);
    this.#handlers.push(fn);
    return this;
  }

  protected describe(): string {
    return `description=${JSON.stringify(this.model.state["description"])}`;
  }
}

/** Options of {@link Output.capture}. */
export interface CaptureOptions {
  /** Clear the area first (default false). */
  clear?: boolean;
  /** With `clear`: keep the old content until the new arrives (default true: no flicker). */
  wait?: boolean;
}

/**
 * An output area: `display(x)` appends x's mime bundle, `clear()` empties it (its `outputs` state);
 * `capture(fn)` shows there what `fn` prints and displays.
 */
export class Output extends Widget {
  readonly #comms: WidgetComms;
  readonly #clearOutput: ((wait: boolean) => void) | undefined;
  #depth = 0;

  constructor(model: Model, comms: WidgetComms, clearOutput?: (wait: boolean) => void) {
    super(model);
    this.#comms = comms;
    this.#clearOutput = clearOutput;
  }

  get outputs(): readonly Record<string, unknown>[] {
    return this.model.state["outputs"] as Record<string, unknown>[];
  }

  /**
   * Runs `fn` with what it prints and displays (console.log, display(), display.clear()) shown in this
   * area instead of the cell: the area's `msg_id` is the request being handled while `fn` runs (the
   * cell, or the widget message whose observer calls this), and the front end routes that request's
   * output messages here (ipywidgets' `with out:` / `@out.capture()`). Returns fn's result; a returned
   * promise ends the capture when it settles. Output sent later by other requests is not captured.
   */
  capture<T>(fn: () => T, options: CaptureOptions = {}): T {
    if (typeof fn !== "function") throw new TypeError(`Output.capture: expected a function, got ${typeof fn}`);
    const o = readOptions("Output.capture", options, { clear: opt.boolean(false), wait: opt.boolean(true) });
    const id = this.#comms.parentMsgId;
    if (!id) return fn(); // no request to capture (nothing dispatched one): output goes where it would anyway
    if (this.#depth++ === 0 || this.model.state["msg_id"] !== id) this.model.set({ msg_id: id });
    const end = () => {
      if (--this.#depth === 0) this.model.set({ msg_id: "" });
    };
    let r: T;
    try {
      if (o.clear) this.#clearOutput?.(o.wait);
      r = fn();
    } catch (err) {
      end();
      throw err;
    }
    if (r instanceof Promise) return r.finally(end) as T;
    end();
    return r;
  }

  display(value: unknown): this {
    const add = (f: Formatted) => this.model.set({ outputs: [...this.outputs, { output_type: "display_data", data: f.data, metadata: f.metadata }] });
    const f = formatValueSync(value);
    if (f instanceof Promise) void f.then(add, (err: unknown) => add({ data: { "text/plain": `display failed: ${String(err)}` }, metadata: {} }));
    else add(f);
    return this;
  }

  /** Appends text as a stdout stream output. */
  print(text: string): this {
    this.model.set({ outputs: [...this.outputs, { output_type: "stream", name: "stdout", text: `${String(text)}\n` }] });
    return this;
  }

  clear(): this {
    this.model.set({ outputs: [] });
    return this;
  }

  protected describe(): string {
    return `${this.outputs.length} outputs`;
  }
}

const SLIDER_KEYS = (step: number) => ({
  min: opt.number(0),
  max: opt.number(100),
  step: opt.number(step, { min: 0, open: "min" }),
  value: opt.optional(opt.number(0)),
  description: opt.string(""),
});

export interface SliderOptions {
  min?: number;
  max?: number;
  step?: number;
  value?: number;
  description?: string;
}

export interface Widgets {
  /** An integer slider (IntSlider). */
  slider(options?: SliderOptions): Slider;
  /** A float slider (FloatSlider). */
  floatSlider(options?: SliderOptions): Slider;
  dropdown(options: { options: readonly string[]; value?: string; description?: string }): Dropdown;
  button(options?: { description?: string; tooltip?: string }): Button;
  output(): Output;
}

function slider(comms: WidgetComms, where: string, options: unknown, float: boolean): Slider {
  const o = readOptions(where, options, SLIDER_KEYS(float ? 0.1 : 1));
  if (!(o.min < o.max)) throw new RangeError(`${where}: min (${o.min}) must be below max (${o.max})`);
  if (!(o.step > 0)) throw new RangeError(`${where}: step must be positive, got ${o.step}`);
  const value = o.value ?? o.min;
  if (value < o.min || value > o.max) throw new RangeError(`${where}: value ${value} is outside [${o.min}, ${o.max}]`);
  if (!float && ![o.min, o.max, o.step, value].every(Number.isInteger)) throw new RangeError(`${where}: min, max, step and value must be integers (use widgets.floatSlider)`);
  const name = float ? "FloatSlider" : "IntSlider";
  const model = new Model(comms, CONTROLS, "2.0.0", `${name}Model`, `${name}View`, CONTROLS, {
    _dom_classes: [], behavior: "drag-tap", continuous_update: true, description: o.description, description_allow_html: false, disabled: false,
    layout: layout(comms), max: o.max, min: o.min, orientation: "horizontal", readout: true, readout_format: float ? ".2f" : "d", step: o.step,
    style: style(comms, "SliderStyleModel", { description_width: "", handle_color: null }), tabbable: null, tooltip: null, value,
  });
  model.validate = (patch) => {
    const { value, ...rest } = patch;
    if (!("value" in patch)) return rest;
    if (typeof value !== "number" || !Number.isFinite(value)) return rest;
    const min = model.state["min"] as number, max = model.state["max"] as number;
    const clamped = Math.min(max, Math.max(min, float ? value : Math.round(value)));
    return { ...rest, value: clamped };
  };
  return new Slider(model, "value");
}

function dropdown(comms: WidgetComms, options: unknown): Dropdown {
  const o = readOptions("widgets.dropdown", options, {
    options: opt.custom("a non-empty array of strings", () => [] as string[], (v): v is string[] => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === "string")),
    value: opt.optional(opt.string("")),
    description: opt.string(""),
  });
  if (o.options.length === 0) throw new TypeError("widgets.dropdown: options must be a non-empty array of strings");
  const index = o.value === undefined ? 0 : o.options.indexOf(o.value);
  if (index < 0) throw new RangeError(`widgets.dropdown: value ${JSON.stringify(o.value)} is not one of ${JSON.stringify(o.options)}`);
  const model = new Model(comms, CONTROLS, "2.0.0", "DropdownModel", "DropdownView", CONTROLS, {
    _dom_classes: [], _options_labels: [...o.options], description: o.description, description_allow_html: false, disabled: false, index,
    layout: layout(comms), style: style(comms, "DescriptionStyleModel", { description_width: "" }), tabbable: null, tooltip: null,
  });
  model.validate = (patch) => {
    const { index, ...rest } = patch;
    const ok = Number.isInteger(index) && (index as number) >= 0 && (index as number) < o.options.length;
    return "index" in patch && ok ? { ...rest, index } : rest;
  };
  return new Dropdown(model, [...o.options]);
}

function button(comms: WidgetComms, options: unknown): Button {
  const o = readOptions("widgets.button", options, { description: opt.string(""), tooltip: opt.optional(opt.string("")) });
  const buttonStyle = { button_color: null, font_family: null, font_size: null, font_style: null, font_variant: null, font_weight: null, text_color: null, text_decoration: null };
  return new Button(new Model(comms, CONTROLS, "2.0.0", "ButtonModel", "ButtonView", CONTROLS, {
    _dom_classes: [], button_style: "", description: o.description, disabled: false, icon: "", layout: layout(comms),
    style: style(comms, "ButtonStyleModel", buttonStyle), tabbable: null, tooltip: o.tooltip ?? null,
  }));
}

/** `clearOutput`: the kernel's clear_output (Output.capture's `clear` option sends it inside the capture). */
export function createWidgets(comms: WidgetComms, clearOutput?: (wait: boolean) => void): Widgets {
  return {
    slider: (options = {}) => slider(comms, "widgets.slider", options, false),
    floatSlider: (options = {}) => slider(comms, "widgets.floatSlider", options, true),
    dropdown: (options) => dropdown(comms, options),
    button: (options = {}) => button(comms, options),
    output: () => new Output(new Model(comms, OUTPUT, "1.0.0", "OutputModel", "OutputView", OUTPUT, { _dom_classes: [], layout: layout(comms), msg_id: "", outputs: [] }), comms, clearOutput),
  };
}

/** Type declarations of the `widgets` global (part of the cells' globals). */
export const WIDGETS_DTS = `
interface StatarbWidget { readonly modelId: string; close(): void }
interface StatarbValueWidget<T> extends StatarbWidget { value: T; observe(fn: (value: T) => void): this }
interface StatarbSliderOptions { min?: number; max?: number; step?: number; value?: number; description?: string }
interface StatarbButton extends StatarbWidget { onClick(fn: () => void): this }
interface StatarbOutput extends StatarbWidget {
  readonly outputs: readonly Record<string, unknown>[];
  /** Shows what fn prints and displays in this area (by msg_id, as ipywidgets' \`with out:\`); \`clear\` empties it first (\`wait\`, default true: when new output comes). */
  capture<T>(fn: () => T, options?: { clear?: boolean; wait?: boolean }): T;
  display(value: unknown): this;
  print(text: string): this;
  clear(): this;
}
interface StatarbWidgets {
  slider(options?: StatarbSliderOptions): StatarbValueWidget<number>;
  floatSlider(options?: StatarbSliderOptions): StatarbValueWidget<number>;
  dropdown(options: { options: readonly string[]; value?: string; description?: string }): StatarbValueWidget<string> & { readonly options: readonly string[] };
  button(options?: { description?: string; tooltip?: string }): StatarbButton;
  output(): StatarbOutput;
}
/** Jupyter widgets (sliders, dropdown, button, output area) whose changes reach the kernel live. */
declare var widgets: StatarbWidgets;
`;
