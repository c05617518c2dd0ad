/**
 * Progress of a sweep from its events: done / failed / skipped / running counts and an ETA from the
 * throughput so far (runs completed per second since the first task started, so it accounts for the
 * workers running side by side). Rendered as one terminal line or as HTML for a notebook display.
 */
import type { SweepEvent } from "./types.js";

export interface SweepProgress {
  total: number;
  skipped: number;
  finished: number;
  failed: number;
  running: number;
  retried: number;
  /** Seconds until the runs still to do should be done (NaN before the first one finished). */
  eta: number;
  elapsed: number;
  /** The last notable thing (a failure, a retry), for the display. */
  note: string;
  phase: "planning" | "starting Ray" | "running" | "done" | "cancelled";
}

export class ProgressTracker {
  readonly state: SweepProgress = { total: 0, skipped: 0, finished: 0, failed: 0, running: 0, retried: 0, eta: Number.NaN, elapsed: 0, note: "", phase: "planning" };
  #t0 = Date.now();
  #firstStart: number | undefined;
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
    this.#t0 = now();
  }

  /** Applies one event; returns the state. */
  apply(e: SweepEvent): SweepProgress {
    const s = this.state;
    switch (e.event) {
      case "plan":
        Object.assign(s, { total: e.total, skipped: e.skipped, phase: e.toRun > 0 ? "starting Ray" : "running" });
        break;
      case "ray":
        s.phase = "running";
        break;
      case "started":
        this.#firstStart ??= this.#now();
        s.running += 1;
        break;
      case "retry":
        s.running -= 1;
        s.retried += 1;
        s.note = `run ${e.index} retried (attempt ${e.attempt} lost its worker: ${e.error})`;
        break;
      case "run":
        s.running -= 1;
        if (e.status === "FINISHED") s.finished += 1;
        else {
          s.failed += 1;
          s.note = `run ${e.index} failed: ${e.error ?? "unknown error"}`;
        }
        break;
      case "done":
        s.phase = e.cancelled ? "cancelled" : "done";
        s.running = 0;
        break;
      default:
        break;
    }
    this.tick();
    return s;
  }

  /** Updates elapsed time and ETA. */
  tick(): SweepProgress {
    const s = this.state;
    const now = this.#now();
    s.elapsed = (now - this.#t0) / 1000;
    const completed = s.finished + s.failed;
    const remaining = s.total - s.skipped - completed;
    s.eta = remaining === 0 ? 0 : completed > 0 && this.#firstStart !== undefined ? ((now - this.#firstStart) / 1000 / completed) * remaining : Number.NaN;
    return s;
  }
}

export function formatSeconds(sec: number): string {
  if (!Number.isFinite(sec)) return "--:--";
  const t = Math.round(sec);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const ss = String(t % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** One terminal line: `[#####.....] 12/32 done 11 · failed 1 · running 2 · skipped 0 · ETA 0:42`. */
export function progressLine(s: SweepProgress, width = 24): string {
  const done = s.finished + s.failed + s.skipped;
  const filled = s.total > 0 ? Math.round((done / s.total) * width) : 0;
  const bar = `${"#".repeat(filled)}${".".repeat(width - filled)}`;
  const tail = s.phase === "running" ? `ETA ${formatSeconds(s.eta)}` : s.phase;
  return `[${bar}] ${done}/${s.total}  done ${s.finished} · failed ${s.failed} · running ${s.running} · skipped ${s.skipped}${s.retried ? ` · retried ${s.retried}` : ""} · ${tail} (${formatSeconds(s.elapsed)})`;
}

const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The same progress as HTML, for a notebook display that is updated in place. */
export function progressHtml(s: SweepProgress): string {
  const pct = (n: number) => (s.total > 0 ? (100 * n) / s.total : 0).toFixed(2);
  const seg = (n: number, color: string) => `<div style="width:${pct(n)}%;background:${color}"></div>`;
  const tail = s.phase === "running" ? `ETA ${formatSeconds(s.eta)}` : s.phase;
  return [
    '<div class="statarb-sweep-progress" style="font:13px sans-serif;max-width:640px">',
    `<div style="display:flex;height:14px;background:#e8e8e8;border-radius:3px;overflow:hidden">${seg(s.finished, "#2e8b57")}${seg(s.skipped, "#8fbc8f")}${seg(s.failed, "#d1495b")}${seg(s.running, "#edae49")}</div>`,
    `<div style="margin-top:4px">${s.finished + s.failed + s.skipped}/${s.total} · done ${s.finished} · failed ${s.failed} · running ${s.running} · skipped ${s.skipped}${s.retried ? ` · retried ${s.retried}` : ""} · ${esc(tail)} · elapsed ${formatSeconds(s.elapsed)}</div>`,
    s.note ? `<div style="color:#a33;margin-top:2px">${esc(s.note.slice(0, 300))}</div>` : "",
    "</div>",
  ].join("");
}
