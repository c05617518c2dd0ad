/**
 * The `display` object in every cell's scope: `display(value)` shows any value as its best mime bundle;
 * `display.html/svg/png/jpeg/markdown/latex/json/text/bundle` show raw content. Each call returns a
 * handle whose methods replace that output in place (update_display_data with its display_id).
 */
import { randomUUID } from "node:crypto";
import type { MimeBundle } from "../impl.js";
import { SWEEP_GLOBALS_DTS } from "../sweep/globals.js";
import { formatValueSync, type Formatted } from "./format.js";
import { WIDGETS_DTS } from "./widgets.js";

export interface DisplayOptions {
  /** Reuse an existing display id (or pick one) so the output can be updated later. */
  displayId?: string;
  metadata?: Record<string, unknown>;
}

type Show = (data: MimeBundle, metadata: Record<string, unknown>, displayId: string, update: boolean) => void;

/** Methods shared by `display` and its handles: each takes content, and shows (display) or replaces (handle). */
export interface DisplayMethods<R> {
  html(html: string, options?: DisplayOptions): R;
  svg(svg: string, options?: DisplayOptions): R;
  /** PNG bytes or base64 text. */
  png(png: Uint8Array | string, options?: DisplayOptions): R;
  jpeg(jpeg: Uint8Array | string, options?: DisplayOptions): R;
  markdown(markdown: string, options?: DisplayOptions): R;
  latex(latex: string, options?: DisplayOptions): R;
  json(value: unknown, options?: DisplayOptions): R;
  text(text: string, options?: DisplayOptions): R;
  /** A raw mime bundle. */
  bundle(bundle: MimeBundle, options?: DisplayOptions): R;
}

/** Marks display handles, which are not shown as a cell's result. */
export const DISPLAY_HANDLE = Symbol("statarb.displayHandle");

export interface DisplayHandle extends DisplayMethods<DisplayHandle> {
  readonly displayId: string;
  /** Replaces the output with `value`'s best mime bundle. */
  update(value: unknown): DisplayHandle;
}

export function isDisplayHandle(v: unknown): boolean {
  return typeof v === "object" && v !== null && DISPLAY_HANDLE in v;
}

export interface Display extends DisplayMethods<DisplayHandle> {
  (value: unknown, options?: DisplayOptions): DisplayHandle;
  /** A handle for `displayId` without showing anything (to update an output shown earlier). */
  handle(displayId?: string): DisplayHandle;
  /** Clears the cell's output (`wait`: when the next output arrives). */
  clear(wait?: boolean): void;
}

const b64 = (x: Uint8Array | string) => (typeof x === "string" ? x : Buffer.from(x).toString("base64"));

function methods<R>(send: (data: MimeBundle, options: DisplayOptions | undefined) => R): DisplayMethods<R> {
  return {
    html: (s, o) => send({ "text/html": s, "text/plain": "<HTML>" }, o),
    svg: (s, o) => send({ "image/svg+xml": s, "text/plain": "<SVG>" }, o),
    png: (x, o) => send({ "image/png": b64(x), "text/plain": "<PNG image>" }, o),
    jpeg: (x, o) => send({ "image/jpeg": b64(x), "text/plain": "<JPEG image>" }, o),
    markdown: (s, o) => send({ "text/markdown": s, "text/plain": s }, o),
    latex: (s, o) => send({ "text/latex": s, "text/plain": s }, o),
    json: (v, o) => send({ "application/json": v as unknown, "text/plain": JSON.stringify(v, null, 2) }, o),
    text: (s, o) => send({ "text/plain": s }, o),
    bundle: (b, o) => send(b, o),
  };
}

/** Formats `value` and hands it on: now when its display method is synchronous, else when its promise settles. */
function whenFormatted(value: unknown, then: (f: Formatted) => void): void {
  const f = formatValueSync(value);
  if (f instanceof Promise) f.then(then, (err: unknown) => then({ data: { "text/plain": `display failed: ${String(err)}` }, metadata: {} }));
  else then(f);
}

export function createDisplay(show: Show, clear: (wait: boolean) => void): Display {
  const handle = (displayId: string = randomUUID()): DisplayHandle => {
    const h: DisplayHandle & { [DISPLAY_HANDLE]: true } = {
      displayId,
      ...methods((data, o) => {
        show(data, o?.metadata ?? {}, displayId, true);
        return h;
      }),
      update: (value) => {
        whenFormatted(value, (f) => show(f.data, f.metadata, displayId, true));
        return h;
      },
      [DISPLAY_HANDLE]: true,
    };
    return h;
  };
  const display = ((value: unknown, options?: DisplayOptions) => {
    const id = options?.displayId ?? randomUUID();
    whenFormatted(value, (f) => show(f.data, { ...f.metadata, ...options?.metadata }, id, false));
    return handle(id);
  }) as Display;
  Object.assign(
    display,
    methods((data, o) => {
      const id = o?.displayId ?? randomUUID();
      show(data, o?.metadata ?? {}, id, false);
      return handle(id);
    }),
    { handle, clear: (wait = false) => clear(wait) },
  );
  return display;
}

/** Type declarations of the cells' globals, for type checking and completion of cells. */
export const DISPLAY_DTS = `
interface StatarbDisplayOptions { displayId?: string; metadata?: Record<string, unknown> }
interface StatarbDisplayMethods<R> {
  html(html: string, options?: StatarbDisplayOptions): R;
  svg(svg: string, options?: StatarbDisplayOptions): R;
  png(png: Uint8Array | string, options?: StatarbDisplayOptions): R;
  jpeg(jpeg: Uint8Array | string, options?: StatarbDisplayOptions): R;
  markdown(markdown: string, options?: StatarbDisplayOptions): R;
  latex(latex: string, options?: StatarbDisplayOptions): R;
  json(value: unknown, options?: StatarbDisplayOptions): R;
  text(text: string, options?: StatarbDisplayOptions): R;
  bundle(bundle: Record<string, unknown>, options?: StatarbDisplayOptions): R;
}
interface StatarbDisplayHandle extends StatarbDisplayMethods<StatarbDisplayHandle> {
  readonly displayId: string;
  update(value: unknown): StatarbDisplayHandle;
}
interface StatarbDisplay extends StatarbDisplayMethods<StatarbDisplayHandle> {
  (value: unknown, options?: StatarbDisplayOptions): StatarbDisplayHandle;
  handle(displayId?: string): StatarbDisplayHandle;
  clear(wait?: boolean): void;
}
/** Shows values and raw content in the notebook (statarb kernel). */
declare var display: StatarbDisplay;
/** Asks the user for a line of input (through the notebook's stdin). */
declare function prompt(message?: string, defaultValue?: string): string | null;
declare var require: NodeJS.Require;
${SWEEP_GLOBALS_DTS}${WIDGETS_DTS}`;
