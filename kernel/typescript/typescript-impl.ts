/**
 * The TypeScript language of the statarb kernel (`KernelImpl`), run by the engine process
 * (kernel/executor): cells run on its main thread in its own global scope (one realm, so typed arrays
 * and classes from cells pass `instanceof` checks in statarb and npm packages), transpiled by
 * `compileCell`, with magics, rich display, `prompt()`, interrupts and errors mapped to the cell's
 * TypeScript lines.
 */
import process from "node:process";
import { inspect } from "node:util";
import { clearTimeout, setTimeout } from "node:timers";
import vm from "node:vm";
import { createDisplay, isDisplayHandle } from "../display/display-api.js";
import { createWidgets } from "../display/widgets.js";
import { installLazyDocument, plotImportHook } from "../display/dom.js";
import { formatValue } from "../display/format.js";
import { installProgressSink } from "../display/progress.js";
import { withValueText } from "../display/inspect-value.js";
import { installSweepGlobals } from "../sweep/globals.js";
import type { CompleteReply, ExecuteOutcome, ExecuteRequest, InspectReply, IsCompleteReply, KernelImpl, KernelIO, LanguageInfo } from "../impl.js";
import { Phase, StopReason } from "../executor/shared-state.js";
import { installDebugHooks } from "../debugger/hooks.js";
import { registerBuiltinMagics, type TypecheckMode } from "../magics/builtin.js";
import { splitCell, typescriptOf } from "../magics/parse.js";
import { Magics } from "../magics/registry.js";
import { registerSqlMagic } from "../magics/sql.js";
import type { CellMagic, LineMagic, MagicContext } from "../magics/types.js";
import { InterruptGuard, NO_PHASES, type PhaseReporter, stopError } from "./interrupt-guard.js";
import { isComplete } from "./is-complete.js";
import { typescript } from "./load-typescript.js";
import { ModuleLoader } from "./modules.js";
import { LanguageClient } from "./language-client.js";
import { loadBridgeMagics } from "./plugins.js";
import { runtimeCompletions } from "./runtime-completer.js";
import { StdioCapture } from "./stdio-capture.js";
import { CellRegistry, errorContent, syntaxErrorContent, type ErrorContent } from "./traceback.js";
import { compileCell, RUNTIME_GLOBAL } from "./transform.js";
import type { TypeChecker } from "./typecheck.js";
import { KERNEL_BANNER, KERNEL_HELP_LINKS, KERNEL_IMPLEMENTATION, KERNEL_IMPLEMENTATION_VERSION, typescriptLanguageInfo } from "./identity.js";

export type { PhaseReporter } from "./interrupt-guard.js";

export interface TypeScriptImplOptions {
  /** The notebook's folder (default: the process's working directory). */
  cwd?: () => string;
  phases?: PhaseReporter;
  /** Loads bridges/magics.js when present (default true). */
  loadPluginMagics?: boolean;
  /** Bytes one output may hold (the kernel's limit; each stream of a cell is cut at twice this here). */
  maxOutputBytes?: number;
  /**
   * While a debugger is attached: the script name of each TypeScript part of a cell (kernel/debugger/hooks.ts);
   * undefined (the default) names them `statarb-cell-<n>.ts`.
   */
  scriptNames?: (code: string) => ((part: number) => string) | undefined;
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

/** How long a rejection reported between cells waits for the next cell before it goes out with the last one (ms). */
const LATE_REPORT_MS = 2000;

const PAGER = /^\s*(?<q>\?\??)(?<expr>[\w$.]+)\s*$/;
const PAGER_AFTER = /^\s*(?<expr>[\w$.]+)(?<q>\?\??)\s*$/;

export class TypeScriptImpl implements KernelImpl {
  readonly implementation = KERNEL_IMPLEMENTATION;
  readonly implementationVersion = KERNEL_IMPLEMENTATION_VERSION;
  readonly banner = KERNEL_BANNER;
  readonly helpLinks = KERNEL_HELP_LINKS;
  readonly languageInfo: LanguageInfo = typescriptLanguageInfo();

  readonly magics = new Magics();
  readonly #cwd: () => string;
  readonly #guard: InterruptGuard;
  readonly #cells = new CellRegistry();
  readonly #loader: ModuleLoader;
  readonly #userNames = new Set<string>();
  readonly #successfulCells: string[] = [];
  readonly #maxOutput: number;
  /** The execution count of the running cell (0 when none). */
  #cell = 0;
  #io: KernelIO | undefined;
  #plugins: Promise<void> | undefined;
  #closeBridges: (() => Promise<void>) | undefined;
  /** The language service, built on a worker thread once the kernel is idle after the start (warmUp), or at the first completion. */
  #languageService: LanguageClient | undefined;
  #typecheckMode: TypecheckMode = "off";
  #checker: TypeChecker | undefined;
  /** What an interrupt stops: every wait in progress (a magic can wait on TypeScript it runs) and its abort signal. */
  readonly #running = new Set<{ cancel: (err: Error) => void; abort: AbortController }>();
  readonly #runtime: { import: ModuleLoader["import"]; require: ModuleLoader["require"]; call: (() => unknown) | undefined };
  #stdio: StdioCapture | undefined;
  /** Called on every interrupt (the `sweep` global cancels its sweep). */
  readonly #interruptListeners = new Set<() => void>();
  #lastLabel = 0;
  readonly #scriptNames: (code: string) => ((part: number) => string) | undefined;
  /** Unhandled rejections and exceptions reported between cells, held for the next cell (#lateReport). */
  readonly #lateReports: string[] = [];
  #lateTimer: NodeJS.Timeout | undefined;

  constructor(options: TypeScriptImplOptions = {}) {
    this.#cwd = options.cwd ?? (() => process.cwd());
    this.#loader = new ModuleLoader(this.#cwd);
    this.#loader.onImport(plotImportHook);
    this.#runtime = { import: this.#loader.import, require: this.#loader.require, call: undefined };
    this.#guard = new InterruptGuard(options.phases ?? NO_PHASES, this.#runtime);
    this.#maxOutput = 2 * (options.maxOutputBytes ?? 16 << 20);
    this.#scriptNames = options.scriptNames ?? (() => undefined);
    registerBuiltinMagics(this.magics, {
      run: (code) => this.#runTypeScript(code, this.#lastLabel),
      compileFunction: (code) => this.#compileFunction(code),
      guarded: (fn) => this.#guard.run(fn),
      userNames: () => [...this.#userNames].filter((n) => n in globalThis).sort(),
      getTypecheck: () => this.#typecheckMode,
      setTypecheck: (mode) => {
        this.#typecheckMode = mode;
      },
      describeMagics: () => this.magics.describe(),
      pluginsLoaded: () => this.#loadPlugins(),
    });
    registerSqlMagic(this.magics, { userNames: () => [...this.#userNames].filter((n) => n in globalThis) });
    if (options.loadPluginMagics === false) this.#plugins = Promise.resolve();
  }

  attach(io: KernelIO): void {
    this.#io = io;
    const g = globalThis as Record<string, unknown>;
    const hidden = (name: string, value: unknown) => Object.defineProperty(g, name, { value, writable: true, configurable: true, enumerable: false });
    hidden(RUNTIME_GLOBAL, this.#runtime);
    this.#guard.guardTimers(g);
    const display = createDisplay(
      (data, metadata, displayId, update) => io.display(data, metadata, { display_id: displayId }, update),
      (wait) => io.clearOutput(wait),
    );
    hidden("display", display);
    installProgressSink(display);
    installSweepGlobals({ define: hidden, display, onInterrupt: (l) => (this.#interruptListeners.add(l), () => this.#interruptListeners.delete(l)) });
    hidden("prompt", (message: unknown = "", defaultValue?: unknown) => {
      const value = io.input(String(message), false);
      return value === "" && defaultValue !== undefined ? String(defaultValue) : value;
    });
    hidden("Jupyter", { comms: io.comms });
    hidden("widgets", createWidgets(io.comms, (wait) => io.clearOutput(wait)));
    installDebugHooks(g, () => this.#userNames, (name) => this.#userNames.add(name));
    installLazyDocument(globalThis);
    this.#stdio = new StdioCapture(io, this.#maxOutput);
    this.#stdio.install();
    // A cell (or a library it calls) must not end the kernel process; restarting is the front end's job.
    process.exit = ((code?: number) => {
      throw new Error(`process.exit(${code ?? ""}) would stop the kernel; use the front end's Restart Kernel instead`);
    }) as typeof process.exit;
    process.on("unhandledRejection", (reason) => this.#lateReport(`Unhandled promise rejection: ${this.#describe(reason)}\n`));
    process.on("uncaughtException", (err) => this.#lateReport(`Uncaught exception (outside a cell): ${this.#describe(err)}\n`));
  }

  /**
   * A rejection or exception nobody handled: shown in the running cell, or — when it comes between
   * cells (a timer an earlier cell left) — at the start of the next cell, or after LATE_REPORT_MS with
   * the last one when no cell comes.
   */
  #lateReport(text: string): void {
    if (this.#cell !== 0) {
      this.#io?.stream("stderr", text);
      return;
    }
    this.#lateReports.push(text);
    this.#lateTimer ??= setTimeout(() => this.#flushLateReports(), LATE_REPORT_MS).unref();
  }

  #flushLateReports(): void {
    if (this.#lateTimer) clearTimeout(this.#lateTimer);
    this.#lateTimer = undefined;
    const texts = this.#lateReports.splice(0);
    for (const t of texts) this.#io?.stream("stderr", t);
  }

  /** Loads the compiler and compiles a first cell, so the first real one does not wait for it. */
  prepare(): void {
    try {
      compileCell("0");
    } catch (err) {
      this.#io?.log(`warm-up: ${String(err)}`);
    }
  }

  /**
   * Once the kernel is idle after its start: starts building the language service on its worker thread
   * (so the first completion needs no build and cells never wait for it; it starts after the engine is
   * ready rather than beside the engine's own start), and loads the bridges' magics in the background.
   */
  warmUp(): void {
    this.#service();
    void this.#loadPlugins();
  }

  async execute(req: ExecuteRequest): Promise<ExecuteOutcome> {
    this.#stdio?.reset();
    this.#lastLabel = req.executionCount;
    const page = PAGER.exec(req.code) ?? PAGER_AFTER.exec(req.code);
    if (page) return this.#page(page.groups?.expr ?? "", (page.groups?.q ?? "?").length === 2 ? 1 : 0);
    const abort = new AbortController();
    this.#cell = req.executionCount;
    this.#guard.setCell(req.executionCount);
    this.#flushLateReports();
    this.#guard.setPhase(Phase.Async);
    try {
      const segments = splitCell(req.code);
      const names = this.#scriptNames(req.code);
      let part = 0;
      let value: unknown;
      let hasValue = false;
      for (const seg of segments) {
        if (seg.kind === "ts") {
          const r = await this.#runTypeScript(seg.code, req.executionCount, abort, names?.(part++));
          ({ value, hasValue } = r);
        } else if (seg.kind === "line") {
          const magic = await this.#magic("line", seg.name);
          value = await this.#race(magic.run(seg.args, this.#magicContext(abort)), abort);
          hasValue = true;
        } else {
          const magic = await this.#magic("cell", seg.name);
          value = await this.#race(magic.run(seg.args, seg.body, this.#magicContext(abort)), abort);
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
      this.#guard.setPhase(Phase.Idle);
      this.#guard.setCell(0);
      this.#cell = 0;
      this.#running.clear();
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

  /** From the language service once it is built; until then (the first seconds after a start) from the engine's values when they have an answer. */
  async complete(code: string, cursorPos: number): Promise<CompleteReply> {
    const ls = this.#service();
    if (ls && !ls.ready && !ls.failed) {
      const quick = runtimeCompletions(code, cursorPos);
      if (quick.matches.length > 0) return quick;
    }
    if (ls) {
      try {
        const r = await ls.complete(code, cursorPos);
        return { matches: r.matches, cursor_start: r.cursorStart, cursor_end: r.cursorEnd, metadata: r.metadata };
      } catch (err) {
        this.#io?.log(`completion failed: ${String(err)}`);
      }
    }
    return { matches: [], cursor_start: cursorPos, cursor_end: cursorPos, metadata: {} };
  }

  async inspect(code: string, cursorPos: number, detailLevel: 0 | 1): Promise<InspectReply> {
    const ls = this.#service();
    if (ls) {
      try {
        const r = await ls.inspect(code, cursorPos, detailLevel);
        return { ...withValueText(r.found, r.data, code, cursorPos), metadata: {} };
      } catch (err) {
        this.#io?.log(`inspection failed: ${String(err)}`);
      }
    }
    return { ...withValueText(false, {}, code, cursorPos), metadata: {} };
  }

  isComplete(code: string): Promise<IsCompleteReply> {
    return Promise.resolve(isComplete(code));
  }

  /**
   * Stops the running cell (its waits end with a KeyboardInterrupt, or a MemoryError when the memory
   * watch stopped it) and cancels its timers; with no cell running, cancels every timer cells left.
   */
  interrupt(reason: StopReason = StopReason.User): void {
    for (const l of this.#interruptListeners) l();
    const cancelled = this.#guard.cancelTimers(this.#cell);
    const err = stopError(reason);
    for (const r of [...this.#running]) {
      r.abort.abort(err);
      r.cancel(err);
    }
    if (this.#cell === 0 && cancelled > 0) this.#io?.stream("stderr", `[statarb kernel] interrupt: cancelled ${cancelled} timer${cancelled > 1 ? "s" : ""} (setTimeout/setInterval) that earlier cells left running\n`);
    if (reason === StopReason.Memory) (globalThis as { gc?: () => void }).gc?.();
  }

  async shutdown(_restart: boolean): Promise<void> {
    this.interrupt(StopReason.User);
    await this.#closeBridges?.();
    await this.#languageService?.close();
  }

  // --- running code ------------------------------------------------------------------------

  async #runTypeScript(source: string, label: number, abort = new AbortController(), scriptName?: string): Promise<{ value: unknown; hasValue: boolean }> {
    const compiled = compileCell(source);
    const bad = compiled.syntaxErrors[0];
    if (bad) throw new ReportedError(syntaxErrorContent(label, source, bad.message, bad.line, bad.column));
    if (this.#typecheckMode !== "off") await this.#typecheck(source, label);
    const fileName = this.#cells.register(label, source, compiled.map, compiled.js, scriptName);
    let script: vm.Script;
    try {
      script = new vm.Script(compiled.js, { filename: fileName });
    } catch (err) {
      throw err instanceof SyntaxError ? new ReportedError(syntaxErrorContent(label, source, err.message, 0, 0)) : err;
    }
    for (const n of compiled.declared) this.#userNames.add(n);
    const promise = this.#guard.run(() => script.runInThisContext({ displayErrors: false })) as Promise<{ value: unknown } | undefined>;
    const r = await this.#race(promise, abort);
    return { value: r?.value, hasValue: compiled.hasValue };
  }

  /** Waits for `p` unless the user interrupts first. */
  #race<T>(p: Promise<T>, abort: AbortController): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry = { cancel: (err: Error) => reject(err), abort };
      this.#running.add(entry);
      p.then(resolve, reject).finally(() => this.#running.delete(entry));
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
    this.#languageService?.addCell(ts);
  }

  /** The language service (started now when prepare() did not start it). */
  #service(): LanguageClient | undefined {
    this.#languageService ??= LanguageClient.start(this.#cwd(), this.#successfulCells, (l) => this.#io?.log(l));
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
    this.#plugins ??= loadBridgeMagics(this.magics, (l) => this.#io?.log(l)).then((close) => {
      this.#closeBridges = close;
    });
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

  #describe(v: unknown): string {
    const c = errorContent(v, this.#cells);
    return [c.traceback[0] ?? `${c.ename}: ${c.evalue}`, ...c.traceback.slice(1)].join("\n") || inspect(v);
  }
}
