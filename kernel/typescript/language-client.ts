/**
 * The engine's side of the language service worker (kernel/language-service/worker.ts): started when
 * the engine starts, told about every cell that runs, asked for completions and inspections. Until it
 * is built (`ready`), completion answers from the engine's values (runtime-completer.ts) instead.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { CompletionResult, InspectionResult } from "../language-service.js";
import type { FromLanguageWorker, LanguageWorkerInit, ToLanguageWorker } from "../language-service/worker.js";

export class LanguageClient {
  readonly #worker: Worker;
  readonly #calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly #ready: Promise<void>;
  #isReady = false;
  #failed: Error | undefined;
  #nextId = 1;

  private constructor(worker: Worker, log: (line: string) => void) {
    this.#worker = worker;
    worker.unref();
    this.#ready = new Promise<void>((resolve, reject) => {
      worker.on("message", (m: FromLanguageWorker) => {
        if (m.t === "ready") {
          this.#isReady = true;
          resolve();
          return;
        }
        const call = this.#calls.get(m.id);
        this.#calls.delete(m.id);
        if (m.ok) call?.resolve(m.value);
        else call?.reject(new Error(m.message));
      });
      worker.on("error", (err) => {
        this.#failed = err;
        log(`language service unavailable: ${err.message}`);
        reject(err);
        for (const c of this.#calls.values()) c.reject(err);
        this.#calls.clear();
      });
    });
    this.#ready.catch(() => undefined);
  }

  /** Starts building the language service for `cwd` and `cells`; undefined when it is not built (dist/kernel/language-service.js missing). */
  static start(cwd: string, cells: readonly string[], log: (line: string) => void): LanguageClient | undefined {
    const file = fileURLToPath(new URL("../language-service/worker.js", import.meta.url));
    if (!existsSync(file) || !existsSync(fileURLToPath(new URL("../language-service.js", import.meta.url)))) return undefined;
    const worker = new Worker(file, { workerData: { cwd, cells: [...cells] } satisfies LanguageWorkerInit, stdout: false, stderr: false });
    return new LanguageClient(worker, log);
  }

  /** True once the service is built: requests then answer in milliseconds. */
  get ready(): boolean {
    return this.#isReady;
  }

  get failed(): boolean {
    return this.#failed !== undefined;
  }

  addCell(source: string): void {
    this.#post({ t: "add", source });
  }

  complete(code: string, cursorPos: number): Promise<CompletionResult> {
    return this.#call((id) => ({ t: "complete", id, code, cursorPos })) as Promise<CompletionResult>;
  }

  inspect(code: string, cursorPos: number, detailLevel: 0 | 1): Promise<InspectionResult> {
    return this.#call((id) => ({ t: "inspect", id, code, cursorPos, detailLevel })) as Promise<InspectionResult>;
  }

  close(): Promise<number> {
    return this.#worker.terminate();
  }

  async #call(message: (id: number) => ToLanguageWorker): Promise<unknown> {
    if (this.#failed) throw this.#failed;
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#calls.set(id, { resolve, reject });
      this.#post(message(id));
    });
  }

  #post(m: ToLanguageWorker): void {
    if (!this.#failed) this.#worker.postMessage(m);
  }
}
