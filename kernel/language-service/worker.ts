/**
 * The language service on a worker thread of the engine process, built as soon as the engine starts
 * so that the first completion after a start or restart does not wait ≈ 1–3 s for it, and cells never
 * wait behind it (kernel/typescript/language-client.ts is the engine's side).
 */
import { parentPort, workerData } from "node:worker_threads";
import { CellLanguageService } from "../language-service.js";

export interface LanguageWorkerInit {
  cwd: string;
  /** The cells that already ran (TypeScript, magics removed). */
  cells: string[];
}

export type ToLanguageWorker =
  | { t: "add"; source: string }
  | { t: "complete"; id: number; code: string; cursorPos: number }
  | { t: "inspect"; id: number; code: string; cursorPos: number; detailLevel: 0 | 1 };

export type FromLanguageWorker = { t: "ready" } | { t: "result"; id: number; ok: true; value: unknown } | { t: "result"; id: number; ok: false; message: string };

const port = parentPort;
if (!port) throw new Error("language-service/worker.js must run as a worker thread");
const init = workerData as LanguageWorkerInit;
const ls = new CellLanguageService({ cwd: init.cwd });
for (const c of init.cells) ls.addCell(c);
// builds the program and the checker's view of the globals now rather than at the first request
ls.complete("Math.f", 6);
port.on("message", (m: ToLanguageWorker) => {
  if (m.t === "add") {
    ls.addCell(m.source);
    return;
  }
  try {
    const value = m.t === "complete" ? ls.complete(m.code, m.cursorPos) : ls.inspect(m.code, m.cursorPos, m.detailLevel);
    port.postMessage({ t: "result", id: m.id, ok: true, value } satisfies FromLanguageWorker);
  } catch (err) {
    port.postMessage({ t: "result", id: m.id, ok: false, message: err instanceof Error ? err.message : String(err) } satisfies FromLanguageWorker);
  }
});
port.postMessage({ t: "ready" } satisfies FromLanguageWorker);
