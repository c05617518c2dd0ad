/**
 * The TypeScript language of the statarb kernel (`KernelImpl`): cells run on the main thread in the
 * kernel's own global scope (one realm, so typed arrays and classes from cells pass `instanceof` checks
 * in statarb and npm packages), transpiled by `compileCell`, with magics, rich display, `prompt()`,
 * interrupts and errors mapped to the cell's TypeScript lines.
 */
import { writeSync } from "node:fs";
import process from "node:process";
import vm from "node:vm";
import { dirname, join } from "node:path";
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { inspect } from "node:util";
import { createDisplay, isDisplayHandle } from "../display/display-api.js";
import { installLazyDocument, plotImportHook } from "../display/dom.js";
import { formatValue } from "../display/format.js";
import type { CompleteReply, ExecuteOutcome, ExecuteRequest, InspectReply, IsCompleteReply, KernelImpl, KernelIO, LanguageInfo } from "../impl.js";
import { Phase } from "../io/shared-state.js";
import { registerBuiltinMagics, type TypecheckMode } from "../magics/builtin.js";
import { splitCell, typescriptOf } from "../magics/parse.js";
import { Magics } from "../magics/registry.js";
import type { CellMagic, LineMagic, MagicContext } from "../magics/types.js";
import { isComplete } from "./is-complete.js";
import { typescript, typescriptVersion } from "./load-typescript.js";
import { ModuleLoader } from "./modules.js";
import { CellRegistry, errorContent, syntaxErrorContent, type ErrorContent } from "./traceback.js";
import { compileCell, RUNTIME_GLOBAL } from "./transform.js";
import type { TypeChecker } from "./typecheck.js";

/** What the kernel's main thread reports to the I/O thread (see io/shared-state.ts); a no-op in tests. */
export interface PhaseReporter {
  setPhase(p: Phase): void;
  acknowledgeInterrupt(): void;
}

export interface TypeScriptImplOptions {
  /** The notebook's folder (default: the process's working directory). */
  cwd?: () => string;
  phases?: PhaseReporter;
  /** Loads bridges/magics.js when present (default true). */
  loadPluginMagics?: boolean;
  /** Bytes of stream output one cell may send before the rest is dropped (default 32 MiB). */
  maxOutputBytes?: number;
}

interface LanguageServiceLike {
  addCell(source: string): void;
  complete(code: string, cursorPos: number): { matches: string[]; cursorStart: number; cursorEnd: number; metadata: Record<string, unknown> };
  inspect(code: string, cursorPos: number, detailLevel: 0 | 1): { found: boolean; data: Record<string, string> };
}

class KeyboardInterrupt extends Error {
  override name = "KeyboardInterrupt";
  constructor() {
    super("the cell was interrupted");
  }
}

class UsageError extends Error {
  override name = "UsageError";
}

/** A failure already turned into Jupyter error content (syntax and type errors). */
class ReportedError extends Error {
  constructor(readonly content: ErrorContent) {
    super(content.evalue);
  }
}

const PAGER = /^\s*(?<q>\?\??)(?<expr>[\w$.]+)\s*$/;
const PAGER_AFTER = /^\s*(?<expr>[\w$.]+)(?<q>\?\??)\s*$/;
const GUARD = new vm.Script(`${RUNTIME_GLOBAL}.call()`, { filename: "statarb-guard.js" });
const NO_PHASES: PhaseReporter = { setPhase: () => undefined, acknowledgeInterrupt: () => undefined };
const KERNEL_DIR = dirname(fileURLToPath(import.meta.url));

export class TypeScriptImpl implements KernelImpl {
  readonly implementation = "statarb";
  readonly implementationVersion = "0.1.0";
  readonly banner = "statarb — a TypeScript kernel for equity stat-arb research";
  readonly helpLinks = [{ text: "statarb", url: "https://github.com/statarb/statarb" }];
  readonly languageInfo: LanguageInfo = {
    name: "typescript",
    version: typescriptVersion(),
    mimetype: "text/typescript",
    file_extension: ".ts",
    codemirror_mode: { name: "javascript", typescript: true },
    pygments_lexer: "typescript",
    nbconvert_exporter: "script",
  };

  readonly magics = new Magics();
  readonly #cwd: () => string;
  readonly #phases: PhaseReporter;
  readonly #cells = new CellRegistry();
  readonly #loader: ModuleLoader;
  readonly #userNames = new Set<string>();
  readonly #successfulCells: string[] = [];
  readonly #maxOutput: number;
  #io: KernelIO | undefined;
  #plugins: Promise<void> | undefined;
  #closeBridges: (() => Promise<void>) | undefined;
  #languageService: Promise<LanguageServiceLike | undefined> | undefined;
  #typecheckMode: TypecheckMode = "off";
  #checker: TypeChecker | undefined;
  #running: { cancel: () => void; abort: AbortController; label: number } | undefined;
  #phase: Phase = Phase.Idle;
  readonly #runtime: { import: ModuleLoader["import"]; require: ModuleLoader["require"]; call: (() => unknown) | undefined };
  #outputBytes = 0;
  #outputDropped = 0;
  #lastLabel = 0;

  constructor(options: TypeScriptImplOptions = {}) {
    this.#cwd = options.cwd ?? (() => process.cwd());
    this.#phases = options.phases ?? NO_PHASES;
    this.#loader = new ModuleLoader(this.#cwd);
    this.#loader.onImport(plotImportHook);
    this.#runtime = { import: this.#loader.import, require: this.#loader.require, call: undefined };
    this.#maxOutput = options.maxOutputBytes ?? 32 << 20;
    registerBuiltinMagics(this.magics, {
      run: (code) => this.#runTypeScript(code, this.#lastLabel),
      compileFunction: (code) => this.#compileFunction(code),
      guarded: (fn) => this.#guarded(fn),
      userNames: () => [...this.#userNames].filter((n) => n in globalThis).sort(),
      getTypecheck: () => this.#typecheckMode,
      setTypecheck: (mode) => {
        this.#typecheckMode = mode;
      },
      describeMagics: () => this.magics.describe(),
      pluginsLoaded: () => this.#loadPlugins(),
    });
    if (options.loadPluginMagics !== false) this.#plugins = undefined;
    else this.#plugins = Promise.resolve();
  }

  attach(io: KernelIO): void {
    this.#io = io;
    const g = globalThis as Record<string, unknown>;
    const hidden = (name: string, value: unknown) => Object.defineProperty(g, name, { value, writable: true, configurable: true, enumerable: false });
    hidden(RUNTIME_GLOBAL, this.#runtime);
    this.#guardTimers(g);
    hidden(
      "display",
      createDisplay(
        (data, metadata, displayId, update) => io.display(data, metadata, { display_id: displayId }, update),
        (wait) => io.clearOutput(wait),
      ),
    );
    hidden("prompt", (message: unknown = "", defaultValue?: unknown) => {
      const value = io.input(String(message), false);
      return value === "" && defaultValue !== undefined ? String(defaultValue) : value;
    });
    hidden("Jupyter", { comms: io.comms });
    installLazyDocument(globalThis);
    this.#captureStdio(io);
    // A cell (or a library it calls) must not end the kernel process; restarting is the front end's job.
    process.exit = ((code?: number) => {
      throw new Error(`process.exit(${code ?? ""}) would stop the kernel; use the front end's Restart Kernel instead`);
    }) as typeof process.exit;
    process.on("unhandledRejection", (reason) => {
      io.stream("stderr", `Unhandled promise rejection: ${this.#describe(reason)}\n`);
    });
    process.on("uncaughtException", (err) => {
      io.stream("stderr", `Uncaught exception (outside a cell): ${this.#describe(err)}\n`);
    });
  }

  warmUp(): void {
    try {
      compileCell("0");
    } catch (err) {
      this.#io?.log(`warm-up: ${String(err)}`);
    }
    void this.#loadPlugins();
  }

  async execute(req: ExecuteRequest): Promise<ExecuteOutcome> {
    this.#outputBytes = 0;
    this.#outputDropped = 0;
    this.#lastLabel = req.executionCount;
    const page = PAGER.exec(req.code) ?? PAGER_AFTER.exec(req.code);
    if (page) return this.#page(page.groups?.expr ?? "", (page.groups?.q ?? "?").length === 2 ? 1 : 0);
    const abort = new AbortController();
    this.#setPhase(Phase.Async);
    try {
      const segments = splitCell(req.code);
      let value: unknown;
      let hasValue = false;
      for (const seg of segments) {
        if (seg.kind === "ts") {
          const r = await this.#runTypeScript(seg.code, req.executionCount, abort);
          ({ value, hasValue } = r);
        } else if (seg.kind === "line") {
          const magic = await this.#magic("line", seg.name);
          value = await this.#race(magic.run(seg.args, this.#magicContext(abort)), abort, req.executionCount);
          hasValue = true;
        } else {
          const magic = await this.#magic("cell", seg.name);
          value = await this.#race(magic.run(seg.args, seg.body, this.#magicContext(abort)), abort, req.executionCount);
          hasValue = true;
        }
      }
      const ts = segments.some((s) => s.kind === "ts") ? typescriptOf(req.code) : "";
      if (ts) this.#recordCell(ts);
      if (!hasValue || value === undefined || isDisplayHandle(value)) return { status: "ok" };
      return { status: "ok", result: await formatValue(value) };
    } catch (err) {
      if (err instanceof ReportedError) return { status: "error", ...err.content };
      return { status: "error", ...errorContent(err, this.#cells) };
    } finally {
      this.#setPhase(Phase.Idle);
      this.#running = undefined;
      if (this.#outputDropped > 0) {
        this.#io?.stream("stderr", `\n[statarb kernel] output truncated: ${this.#outputDropped} more bytes were dropped (limit ${this.#maxOutput} bytes per cell)\n`);
      }
    }
  }

  /** `?name` / `name?` (`??` for more): the inspection of `name` as a pager payload. */
  async #page(expr: string, detail: 0 | 1): Promise<ExecuteOutcome> {
    let data: Record<string, unknown> | undefined;
    const r = await this.inspect(expr, expr.length, detail);
    if (r.found) data = { "text/plain": "", ...r.data };
    else {
      try {
        const value = this.#compileFunction(`return (${expr})`)();
        data = { "text/plain": `${expr}: ${typeof value}\n${inspect(value, { depth: 1 })}` };
      } catch {
        data = undefined;
      }
    }
    if (!data) {
      this.#io?.stream("stdout", `Object \`${expr}\` not found.\n`);
      return { status: "ok" };
    }
    return { status: "ok", payload: [{ source: "page", data, start: 0 }] };
  }

  async userExpressions(expressions: Record<string, string>): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const [name, expr] of Object.entries(expressions)) {
      try {
        const fn = this.#compileFunction(`return (${expr})`);
        const f = await formatValue(fn());
        out[name] = { status: "ok", data: f.data, metadata: f.metadata };
      } catch (err) {
        out[name] = { status: "error", ...errorContent(err, this.#cells) };
      }
    }
    return out;
  }

  async complete(code: string, cursorPos: number): Promise<CompleteReply> {
    const ls = await this.#service();
    if (ls) {
      try {
        const r = ls.complete(code, cursorPos);
        return { matches: r.matches, cursor_start: r.cursorStart, cursor_end: r.cursorEnd, metadata: r.metadata };
      } catch (err) {
        this.#io?.log(`completion failed: ${String(err)}`);
      }
    }
    return { matches: [], cursor_start: cursorPos, cursor_end: cursorPos, metadata: {} };
  }

  async inspect(code: string, cursorPos: number, detailLevel: 0 | 1): Promise<InspectReply> {
    const ls = await this.#service();
    if (ls) {
      try {
        const r = ls.inspect(code, cursorPos, detailLevel);
        return { found: r.found, data: r.data, metadata: {} };
      } catch (err) {
        this.#io?.log(`inspection failed: ${String(err)}`);
      }
    }
    return { found: false, data: {}, metadata: {} };
  }

  isComplete(code: string): Promise<IsCompleteReply> {
    return Promise.resolve(isComplete(code));
  }

  interrupt(): void {
    this.#phases.acknowledgeInterrupt();
    const r = this.#running;
    if (!r) return;
    r.abort.abort(new KeyboardInterrupt());
    r.cancel();
  }

  async shutdown(_restart: boolean): Promise<void> {
    this.interrupt();
    await this.#closeBridges?.();
  }

  // --- running code ------------------------------------------------------------------------

  async #runTypeScript(source: string, label: number, abort = new AbortController()): Promise<{ value: unknown; hasValue: boolean }> {
    const compiled = compileCell(source);
    const bad = compiled.syntaxErrors[0];
    if (bad) throw new ReportedError(syntaxErrorContent(label, source, bad.message, bad.line, bad.column));
    if (this.#typecheckMode !== "off") await this.#typecheck(source, label);
    const fileName = this.#cells.register(label, source, compiled.map, compiled.js);
    let script: vm.Script;
    try {
      script = new vm.Script(compiled.js, { filename: fileName });
    } catch (err) {
      throw err instanceof SyntaxError ? new ReportedError(syntaxErrorContent(label, source, err.message, 0, 0)) : err;
    }
    for (const n of compiled.declared) this.#userNames.add(n);
    const promise = this.#guarded(() => script.runInThisContext({ breakOnSigint: true, displayErrors: false })) as Promise<{ value: unknown } | undefined>;
    const r = await this.#race(promise, abort, label);
    return { value: r?.value, hasValue: compiled.hasValue };
  }

  /**
   * Runs `fn` (synchronous cell code) so that SIGINT stops it: inside a vm script run with
   * `breakOnSigint`, while the I/O thread sees the Sync phase and answers an interrupt with SIGINT.
   */
  #guarded<T>(fn: () => T): T {
    const before = this.#phase;
    this.#setPhase(Phase.Sync);
    const rt = this.#runtime;
    const prev = rt.call;
    rt.call = fn;
    try {
      return GUARD.runInThisContext({ breakOnSigint: true, displayErrors: false }) as T;
    } catch (err) {
      if ((err as { code?: string }).code === "ERR_SCRIPT_EXECUTION_INTERRUPTED") throw new KeyboardInterrupt();
      throw err;
    } finally {
      rt.call = prev;
      this.#setPhase(before);
    }
  }

  #setPhase(p: Phase): void {
    this.#phase = p;
    this.#phases.setPhase(p);
  }

  /**
   * Timer callbacks scheduled while a cell runs are run guarded too, so `setTimeout(() => { while (true) {} })`
   * is interruptible by SIGINT (stopping it from the inspector instead would unwind Node's timer code).
   */
  #guardTimers(g: Record<string, unknown>): void {
    for (const name of ["setTimeout", "setInterval", "setImmediate"]) {
      const original = g[name] as (cb: unknown, ...rest: unknown[]) => unknown;
      const self = this;
      const wrapped = function (this: unknown, cb: unknown, ...rest: unknown[]): unknown {
        if (typeof cb !== "function" || self.#phase === Phase.Idle) return original.call(this, cb, ...rest);
        const guardedCb = function (this: unknown, ...args: unknown[]): unknown {
          try {
            return self.#guarded(() => (cb as (...a: unknown[]) => unknown).apply(this, args));
          } catch (err) {
            if (err instanceof KeyboardInterrupt) return undefined; // the cell reports the interrupt
            throw err;
          }
        };
        return original.call(this, guardedCb, ...rest);
      };
      for (const key of Reflect.ownKeys(original)) {
        if (key === "length" || key === "name" || key === "prototype") continue;
        const d = Object.getOwnPropertyDescriptor(original, key);
        if (d) Object.defineProperty(wrapped, key, d);
      }
      g[name] = wrapped;
    }
  }

  /** Waits for `p` unless the user interrupts first. */
  #race<T>(p: Promise<T>, abort: AbortController, label: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#running = { cancel: () => reject(new KeyboardInterrupt()), abort, label };
      p.then(resolve, reject);
    });
  }

  /** A function of TypeScript statements (for %timeit and user_expressions), run in the global scope. */
  #compileFunction(body: string): () => unknown {
    const ts = typescript();
    const usesAwait = /\bawait\b/.test(body);
    const js = ts.transpileModule(`${usesAwait ? "async " : ""}function __statarb_fn__() {\n${body}\n}`, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    }).outputText;
    return new vm.Script(`(${js.trim().replace(/;$/, "")})`, { filename: "statarb-timeit.js" }).runInThisContext() as () => unknown;
  }

  async #typecheck(source: string, label: number): Promise<void> {
    if (!this.#checker) {
      const { TypeChecker } = await import("./typecheck.js");
      this.#checker = new TypeChecker(this.#cwd());
      for (const c of this.#successfulCells) this.#checker.addCell(c);
    }
    const problems = this.#checker.check(source);
    if (problems.length === 0) return;
    const text = problems.map((p) => `Cell In[${label}], line ${p.line + 1}:${p.column + 1}: error TS${p.code}: ${p.message}`).join("\n");
    if (this.#typecheckMode === "strict") {
      throw new ReportedError({ ename: "TSError", evalue: `${problems.length} type error${problems.length > 1 ? "s" : ""} (%typecheck strict)`, traceback: text.split("\n") });
    }
    this.#io?.stream("stderr", `${text}\n`);
  }

  #recordCell(ts: string): void {
    this.#successfulCells.push(ts);
    this.#checker?.addCell(ts);
    void this.#languageService?.then((ls) => {
      try {
        ls?.addCell(ts);
      } catch (err) {
        this.#io?.log(`language service addCell: ${String(err)}`);
      }
    });
  }

  #service(): Promise<LanguageServiceLike | undefined> {
    this.#languageService ??= (async () => {
      const url = new URL("../language-service.js", import.meta.url);
      if (!existsSync(fileURLToPath(url))) return undefined;
      try {
        const mod = (await import(url.href)) as { CellLanguageService?: new (o: { cwd: string }) => LanguageServiceLike };
        if (!mod.CellLanguageService) return undefined;
        const ls = new mod.CellLanguageService({ cwd: this.#cwd() });
        for (const c of this.#successfulCells) ls.addCell(c);
        return ls;
      } catch (err) {
        this.#io?.log(`language service unavailable: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      }
    })();
    return this.#languageService;
  }

  // --- magics ------------------------------------------------------------------------------

  async #magic(kind: "line", name: string): Promise<LineMagic>;
  async #magic(kind: "cell", name: string): Promise<CellMagic>;
  async #magic(kind: "line" | "cell", name: string): Promise<LineMagic | CellMagic> {
    let m = kind === "line" ? this.magics.line(name) : this.magics.cell(name);
    if (!m) {
      await this.#loadPlugins();
      m = kind === "line" ? this.magics.line(name) : this.magics.cell(name);
    }
    if (!m) throw new UsageError(`${kind === "line" ? "Line" : "Cell"} magic ${kind === "line" ? "%" : "%%"}${name} not found (%lsmagic lists them)`);
    return m;
  }

  #loadPlugins(): Promise<void> {
    this.#plugins ??= (async () => {
      const file = join(KERNEL_DIR, "..", "..", "bridges", "magics.js");
      if (!existsSync(file)) return;
      try {
        const mod = (await import(pathToFileURL(file).href)) as {
          bridgeMagics?: () => { cell?: CellMagic[]; line?: LineMagic[]; sessions?: { closeAll?: () => Promise<void> } };
        };
        const found = mod.bridgeMagics?.();
        this.#closeBridges = found?.sessions?.closeAll?.bind(found.sessions);
        for (const m of found?.cell ?? []) this.magics.registerCell(m);
        for (const m of found?.line ?? []) this.magics.registerLine(m);
      } catch (err) {
        this.#io?.log(`bridge magics not loaded: ${err instanceof Error ? err.message : String(err)}`);
      }
    })();
    return this.#plugins;
  }

  #magicContext(abort: AbortController): MagicContext {
    const io = this.#io;
    const g = globalThis as Record<string, unknown>;
    return {
      stdout: (t) => io?.stream("stdout", t),
      stderr: (t) => io?.stream("stderr", t),
      display: (bundle, metadata) => io?.display(bundle, metadata ?? {}, {}),
      getVariable: (name) => g[name],
      setVariable: (name, value) => {
        g[name] = value;
        this.#userNames.add(name);
      },
      signal: abort.signal,
      cwd: this.#cwd(),
    };
  }

  // --- output ------------------------------------------------------------------------------

  #captureStdio(io: KernelIO): void {
    const capture = (name: "stdout" | "stderr") =>
      function write(chunk: unknown, encoding?: unknown, cb?: unknown): boolean {
        const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
        self.#emit(io, name, text);
        const done = typeof encoding === "function" ? encoding : cb;
        if (typeof done === "function") queueMicrotask(() => (done as () => void)());
        return true;
      };
    const self = this;
    process.stdout.write = capture("stdout") as typeof process.stdout.write;
    process.stderr.write = capture("stderr") as typeof process.stderr.write;
  }

  #emit(io: KernelIO, name: "stdout" | "stderr", text: string): void {
    if (this.#outputBytes + text.length > this.#maxOutput) {
      this.#outputDropped += text.length;
      return;
    }
    this.#outputBytes += text.length;
    io.stream(name, text);
  }

  #describe(v: unknown): string {
    const c = errorContent(v, this.#cells);
    return [c.traceback[0] ?? `${c.ename}: ${c.evalue}`, ...c.traceback.slice(1)].join("\n") || inspect(v);
  }
}

/** For the kernel's own log: straight to fd 2, never through the captured process.stderr. */
export function rawLog(line: string): void {
  try {
    writeSync(2, `[statarb kernel] ${line}\n`);
  } catch {
    /* stderr closed */
  }
}
