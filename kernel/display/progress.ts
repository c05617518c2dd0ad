/**
 * The kernel's sink for lib's `progressBar()` (lib/data/progress.ts): each bar is one display output
 * updated in place (display_data, then update_display_data on its display_id). Registered on
 * `globalThis` under `Symbol.for("statarb.progress")` when the display is attached, so library code
 * run in a cell draws here instead of on stderr (lib never imports the kernel).
 */
import type { Progress, ProgressSink } from "../../lib/data/index.js";
import type { Display, DisplayHandle } from "./display-api.js";

export const PROGRESS_SINK_KEY = Symbol.for("statarb.progress");

export function progressSink(display: Display): ProgressSink {
  let handle: DisplayHandle | undefined;
  return {
    update(_p: Progress, text: string, html: string) {
      const bundle = { "text/html": html, "text/plain": text };
      if (handle === undefined) handle = display.bundle(bundle);
      else handle.bundle(bundle);
    },
    close() {
      handle = undefined;
    },
  };
}

/** Makes `progressBar()` draw into `display` in this process. */
export function installProgressSink(display: Display): void {
  Object.defineProperty(globalThis, PROGRESS_SINK_KEY, { value: () => progressSink(display), writable: true, configurable: true, enumerable: false });
}
