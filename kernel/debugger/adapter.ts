/**
 * The debug adapter: answers JupyterLab's DAP requests (kernel/debugger/README in kernel/README.md
 * "Debugger") by driving the V8 inspector of the engine's main thread, which runs cells. It runs on a
 * thread that stays free while the main thread is paused (the engine's control thread). Breakpoints
 * are kept by cell file (`dumpCell`'s path) and line, and set in V8 by script URL at the JavaScript
 * position the cell line compiles to, so V8 applies them when the cell is compiled; paused frames are
 * mapped back to cell lines.
 */
import { CellFiles } from "./cell-files.js";
import { type CallFrame, DapError, HOOKS_GLOBAL, type DapEvent, type DapRequest, type DapResponse, type DapVariable, type Inspector, type RemoteObject, THREAD_ID } from "./dap.js";
import { typescript } from "../typescript/load-typescript.js";
import { CellMap } from "./line-map.js";
import { propertiesOf, RefTable, toVariable } from "./variables.js";

export interface AdapterOptions {
  files?: CellFiles;
  /** Opens the session to the main thread's inspector (on initialize). */
  connect: () => Inspector;
  /** Sends a DAP event to the front end (debug_event on iopub). */
  emit: (event: DapEvent) => void;
  /** Tells the main thread that a debugger is attached (cells are then compiled under their cell file's name). */
  setAttached: (on: boolean) => void;
  /** Resolves when no cell runs any more (after an interrupt while paused). */
  cellEnded?: () => Promise<void>;
}

/** Script URLs the debugger never stops in nor shows: Node's own code, packages, the kernel. */
function blackboxPatterns(): string[] {
  const kernelDir = new URL("../", import.meta.url).href.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return ["^node:", "/node_modules/", `^${kernelDir}`, "statarb-guard\\.js$", "statarb-timeit\\.js$"];
}

interface CellBreakpoints {
  /** What the front end asked for (1-based cell lines, optional conditions). */
  requested: { line: number; condition?: string }[];
  /** The V8 breakpoints set for them. */
  v8: string[];
}

type Handler = (args: Record<string, unknown>) => Promise<Record<string, unknown> | undefined> | Record<string, unknown> | undefined;

export class DebugAdapter {
  readonly files: CellFiles;
  readonly #o: AdapterOptions;
  #inspector: Inspector | undefined;
  #attached = false;
  #seq = 1;
  readonly #breakpoints = new Map<string, CellBreakpoints>();
  readonly #maps = new Map<string, CellMap>();
  #paused: CallFrame[] | undefined;
  /** Frame ids handed out while paused → call frames. */
  readonly #frames = new Map<number, CallFrame>();
  #pending: "step" | "pause" | undefined;
  readonly #pausedRefs = new RefTable(1);
  readonly #globalRefs = new RefTable(1_000_000_000);
  #pauseOnExceptions: "none" | "uncaught" | "all" = "none";
  /** Script id → URL of the cells' scripts (a paused frame names its script by id). */
  readonly #scripts = new Map<string, string>();

  constructor(options: AdapterOptions) {
    this.#o = options;
    this.files = options.files ?? new CellFiles();
  }

  get started(): boolean {
    return this.#inspector !== undefined;
  }

  get paused(): boolean {
    return this.#paused !== undefined;
  }

  /** Answers one request; a failure is a response with success false and the reason. */
  async handle(request: DapRequest): Promise<DapResponse> {
    const base = { seq: this.#seq++, type: "response" as const, request_seq: request.seq, command: request.command };
    const handler = this.#handlers[request.command];
    if (!handler) return { ...base, success: false, message: `the statarb debugger does not support the ${JSON.stringify(request.command)} request` };
    try {
      const body = await handler(request.arguments ?? {});
      return { ...base, success: true, ...(body ? { body } : {}) };
    } catch (err) {
      return { ...base, success: false, message: err instanceof Error ? err.message : String(err) };
    }
  }

  readonly #handlers: Readonly<Record<string, Handler>> = {
    debugInfo: () => this.#debugInfo(),
    initialize: () => this.#initialize(),
    attach: () => this.#attach(),
    configurationDone: () => undefined,
    disconnect: () => this.#disconnect(),
    dumpCell: (a) => ({ sourcePath: this.#dumpCell(str(a.code, "code")) }),
    setBreakpoints: (a) => this.#setBreakpoints(a),
    setExceptionBreakpoints: (a) => this.#setExceptionBreakpoints(a),
    threads: () => ({ threads: [{ id: THREAD_ID, name: "cells (the engine's main thread)" }] }),
    stackTrace: () => this.#stackTrace(),
    scopes: (a) => this.#scopes(num(a.frameId, "frameId")),
    variables: async (a) => ({ variables: await this.#variables(num(a.variablesReference, "variablesReference")) }),
    continue: async () => (await this.#step("Debugger.resume"), { allThreadsContinued: true }),
    next: () => this.#step("Debugger.stepOver"),
    stepIn: () => this.#step("Debugger.stepInto"),
    stepOut: () => this.#step("Debugger.stepOut"),
    pause: () => this.#pause(),
    evaluate: (a) => this.#evaluate(str(a.expression, "expression"), optNum(a.frameId)),
    source: (a) => this.#source(a),
    inspectVariables: async () => ({ variables: await this.#inspectVariables() }),
    richInspectVariables: (a) => this.#richInspect(str(a.variableName, "variableName"), optNum(a.frameId)),
    copyToGlobals: (a) => this.#copyToGlobals(a),
    modules: () => ({ modules: [], totalModules: 0 }),
  };

  #debugInfo(): Record<string, unknown> {
    const breakpoints = [...this.#breakpoints].map(([source, b]) => ({ source, breakpoints: b.requested.map((r) => ({ line: r.line })) }));
    return {
      isStarted: this.#attached,
      hashMethod: "Murmur2",
      hashSeed: this.files.seed,
      tmpFilePrefix: this.files.prefix,
      tmpFileSuffix: this.files.suffix,
      breakpoints,
      stoppedThreads: this.#paused ? [THREAD_ID] : [],
      richRendering: true,
      exceptionPaths: [],
      copyToGlobals: true,
    };
  }

  #initialize(): Record<string, unknown> {
    if (!this.#inspector) {
      const inspector = this.#o.connect();
      inspector.on("Debugger.paused", (p) => void this.#onPaused(p as unknown as { callFrames: CallFrame[]; reason: string; hitBreakpoints?: string[] }));
      inspector.on("Debugger.resumed", () => this.#onResumed());
      inspector.on("Debugger.scriptParsed", (p) => {
        const url = String(p.url ?? "");
        if (this.files.parseUrl(url)) this.#scripts.set(String(p.scriptId), url);
      });
      this.#inspector = inspector;
    }
    return {
      supportsConfigurationDoneRequest: true,
      supportsConditionalBreakpoints: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: false,
      supportsStepBack: false,
      supportsDelayedStackTraceLoading: false,
      supportsTerminateRequest: false,
      exceptionBreakpointFilters: [
        { filter: "all", label: "All exceptions", default: false },
        { filter: "uncaught", label: "Uncaught exceptions", default: false },
      ],
    };
  }

  async #attach(): Promise<undefined> {
    const inspector = this.#need();
    if (this.#attached) return undefined;
    await inspector.post("Debugger.enable");
    await inspector.post("Debugger.setBlackboxPatterns", { patterns: blackboxPatterns() });
    await inspector.post("Debugger.setPauseOnExceptions", { state: this.#pauseOnExceptions });
    this.#attached = true;
    this.#o.setAttached(true);
    for (const [path, b] of this.#breakpoints) await this.#apply(path, b);
    this.#emit("initialized");
    return undefined;
  }

  /** Ends the session: every breakpoint removed, a paused cell resumed, the inspector released. */
  async #disconnect(): Promise<undefined> {
    this.#o.setAttached(false);
    const inspector = this.#inspector;
    const ids = [...this.#breakpoints.values()].flatMap((b) => b.v8);
    this.#breakpoints.clear();
    this.#attached = false;
    this.#inspector = undefined;
    if (inspector) {
      for (const breakpointId of ids) await inspector.post("Debugger.removeBreakpoint", { breakpointId }).catch(() => undefined);
      if (this.#paused) await inspector.post("Debugger.resume").catch(() => undefined);
      await inspector.post("Debugger.disable").catch(() => undefined);
      inspector.disconnect();
    }
    this.#onResumed(false);
    return undefined;
  }

  #dumpCell(code: string): string {
    const path = this.files.dump(code);
    this.#maps.set(path, new CellMap(code));
    return path;
  }

  #mapOf(path: string): CellMap | undefined {
    let m = this.#maps.get(path);
    if (!m) {
      const code = this.files.read(path);
      if (code === undefined) return undefined;
      m = new CellMap(code);
      this.#maps.set(path, m);
    }
    return m;
  }

  async #setBreakpoints(a: Record<string, unknown>): Promise<Record<string, unknown>> {
    const path = str((a.source as { path?: unknown } | undefined)?.path, "source.path");
    const list = Array.isArray(a.breakpoints) ? (a.breakpoints as { line?: unknown; condition?: unknown }[]) : [];
    const requested = list.map((b) => ({ line: num(b.line, "breakpoints[].line"), ...(typeof b.condition === "string" && b.condition ? { condition: b.condition } : {}) }));
    const old = this.#breakpoints.get(path);
    if (old && this.#inspector) for (const id of old.v8) await this.#inspector.post("Debugger.removeBreakpoint", { breakpointId: id }).catch(() => undefined);
    const entry: CellBreakpoints = { requested, v8: [] };
    if (requested.length > 0) this.#breakpoints.set(path, entry);
    else this.#breakpoints.delete(path);
    const lines = this.#attached ? await this.#apply(path, entry) : requested.map((r) => ({ line: r.line, verified: false }));
    return { breakpoints: lines.map((l, i) => ({ id: i + 1, source: { path }, ...l })) };
  }

  /** Sets a cell's breakpoints in V8; the line each landed on (the next line with code). */
  async #apply(path: string, entry: CellBreakpoints): Promise<{ line: number; verified: boolean; message?: string }[]> {
    const inspector = this.#need();
    const map = this.#mapOf(path);
    const out: { line: number; verified: boolean; message?: string }[] = [];
    for (const r of entry.requested) {
      const at = map?.breakpoint(r.line);
      if (!at) {
        out.push({ line: r.line, verified: false, message: map ? "no code on or after this line" : "the cell's code is unknown (dumpCell first)" });
        continue;
      }
      const url = this.files.urlOf(path, at.part);
      const res = await inspector.post<{ breakpointId: string }>("Debugger.setBreakpointByUrl", { url, lineNumber: at.jsLine, columnNumber: at.jsColumn, ...(r.condition ? { condition: r.condition } : {}) });
      entry.v8.push(res.breakpointId);
      out.push({ line: at.line, verified: true });
    }
    return out;
  }

  async #setExceptionBreakpoints(a: Record<string, unknown>): Promise<undefined> {
    const filters = Array.isArray(a.filters) ? (a.filters as unknown[]) : [];
    this.#pauseOnExceptions = filters.includes("all") ? "all" : filters.includes("uncaught") ? "uncaught" : "none";
    if (this.#attached) await this.#need().post("Debugger.setPauseOnExceptions", { state: this.#pauseOnExceptions });
    return undefined;
  }

  // --- paused state -------------------------------------------------------------------------

  async #onPaused(p: { callFrames: CallFrame[]; reason: string; hitBreakpoints?: string[] }): Promise<void> {
    const pending = this.#pending;
    this.#pending = undefined;
    const top = p.callFrames[0];
    // a step that left the cell (to the script's top level, or the kernel's code, which are not shown): go on
    if (pending === "step" && (!top || !this.#isUserFrame(top))) {
      await this.#inspector?.post("Debugger.resume").catch(() => undefined);
      return;
    }
    this.#paused = p.callFrames;
    const reason = p.reason === "exception" || p.reason === "promiseRejection" ? "exception" : pending ?? ((p.hitBreakpoints?.length ?? 0) > 0 ? "breakpoint" : "pause");
    this.#emit("stopped", { reason, threadId: THREAD_ID, allThreadsStopped: true });
  }

  #onResumed(emit = true): void {
    if (!this.#paused) return;
    this.#paused = undefined;
    this.#frames.clear();
    this.#pausedRefs.clear();
    if (emit) this.#emit("continued", { threadId: THREAD_ID, allThreadsContinued: true });
  }

  /** The cell file and part a frame runs in, or undefined when it is not in a cell. */
  #cellOf(f: CallFrame): { path: string; part: number } | undefined {
    return this.files.parseUrl(f.url || (this.#scripts.get(f.location.scriptId) ?? ""));
  }

  /**
   * Whether a frame is shown: code of a cell. The script's top level only calls the cell's wrapper
   * (kernel/typescript/transform.ts) and has no local scope: not a frame of the cell's own.
   */
  #isUserFrame(f: CallFrame): boolean {
    return this.#cellOf(f) !== undefined && f.scopeChain.some((s) => s.type === "local");
  }

  /** The paused stack as the cell's lines (frames outside cells are left out). */
  #stackTrace(): Record<string, unknown> {
    this.#need();
    const frames = this.#paused ?? [];
    const stackFrames: Record<string, unknown>[] = [];
    this.#frames.clear();
    frames.forEach((f, i) => {
      const cell = this.#cellOf(f);
      if (!cell || !this.#isUserFrame(f)) return;
      const pos = this.#mapOf(cell.path)?.parts[cell.part]?.tsOf(f.location.lineNumber, f.location.columnNumber ?? 0);
      const id = i + 1;
      this.#frames.set(id, f);
      stackFrames.push({
        id,
        name: f.functionName && f.functionName !== "" ? f.functionName : "<cell>",
        source: { path: cell.path, name: cell.path.slice(this.files.prefix.length) },
        line: (pos?.line ?? f.location.lineNumber) + 1,
        column: (pos?.column ?? f.location.columnNumber ?? 0) + 1,
      });
    });
    return { stackFrames, totalFrames: stackFrames.length };
  }

  #frame(frameId: number): CallFrame {
    const f = this.#frames.get(frameId);
    if (!f) throw new DapError(`no frame ${frameId}: the cell is not paused there (ask stackTrace again)`);
    return f;
  }

  #scopes(frameId: number): Record<string, unknown> {
    const f = this.#frame(frameId);
    const names: Record<string, string> = { local: "Locals", closure: "Closure", block: "Block", catch: "Catch", with: "With", script: "Script", module: "Module" };
    const scopes: Record<string, unknown>[] = [];
    for (const s of f.scopeChain) {
      if (s.type === "global") continue;
      if (!s.object.objectId) continue;
      // the locals of a cell's own wrapper are the kernel's `require` and import temporaries: the cell's
      // variables are its globals, shown first (JupyterLab opens the first scope)
      if (s.type === "local" && f.functionName === "" && this.#cellOf(f)) continue;
      scopes.push({ name: names[s.type] ?? s.type, variablesReference: this.#pausedRefs.add({ kind: "object", objectId: s.object.objectId }), expensive: false });
    }
    scopes.push({ name: "Globals", variablesReference: this.#pausedRefs.add({ kind: "globals", callFrameId: f.callFrameId }), expensive: false });
    return { scopes };
  }

  async #variables(reference: number): Promise<DapVariable[]> {
    const refs = reference >= 1_000_000_000 ? this.#globalRefs : this.#pausedRefs;
    const ref = refs.get(reference);
    if (!ref) throw new DapError(`unknown variablesReference ${reference} (the values changed since: ask again)`);
    if (ref.kind === "object") return propertiesOf(this.#need(), ref.objectId, refs);
    return this.#globals(refs, "dap-paused");
  }

  /** The variables cells defined (not Node's globals), as the panel's "Globals". */
  async #globals(refs: RefTable, group: string): Promise<DapVariable[]> {
    const inspector = this.#need();
    const names = await inspector.post<{ result: RemoteObject }>("Runtime.evaluate", { expression: `globalThis.${HOOKS_GLOBAL}?.names() ?? []`, returnByValue: true, silent: true, objectGroup: group });
    const list = Array.isArray(names.result.value) ? (names.result.value as string[]) : [];
    const g = await inspector.post<{ result: RemoteObject }>("Runtime.evaluate", { expression: "globalThis", objectGroup: group, silent: true });
    if (!g.result.objectId) return [];
    return propertiesOf(inspector, g.result.objectId, refs, list);
  }

  async #inspectVariables(): Promise<DapVariable[]> {
    const inspector = this.#need();
    this.#globalRefs.clear();
    await inspector.post("Runtime.releaseObjectGroup", { objectGroup: "dap-globals" }).catch(() => undefined);
    return this.#globals(this.#globalRefs, "dap-globals");
  }

  // --- execution control --------------------------------------------------------------------

  async #step(method: string): Promise<undefined> {
    if (!this.#paused) throw new DapError("the cell is not paused");
    this.#pending = method === "Debugger.resume" ? undefined : "step";
    await this.#need().post(method);
    return undefined;
  }

  async #pause(): Promise<undefined> {
    if (this.#paused) return undefined;
    this.#pending = "pause";
    await this.#need().post("Debugger.pause");
    return undefined;
  }

  /**
   * An interrupt while paused: the kernel has already asked the main thread to stop (SIGINT for a
   * cell's synchronous part); pauses are skipped and the cell resumed so it can stop, until it ended.
   * Resolves once the main thread runs again (the caller's forced stop must not count the pause as a
   * stuck thread). `beforeResume` holds the pause until the stop is on its way (the SIGINT's).
   */
  async interrupt(beforeResume?: () => Promise<void>): Promise<void> {
    const inspector = this.#inspector;
    if (!inspector || !this.#paused) return;
    await inspector.post("Debugger.setSkipAllPauses", { skip: true });
    await beforeResume?.();
    await inspector.post("Debugger.resume").catch(() => undefined);
    void (this.#o.cellEnded?.() ?? Promise.resolve()).then(() => {
      if (this.#inspector === inspector) return inspector.post("Debugger.setSkipAllPauses", { skip: false });
      return undefined;
    }).catch(() => undefined);
  }

  // --- evaluation ---------------------------------------------------------------------------

  /** Runs an expression in the paused frame (or the global scope): its value as a variable. */
  async #run(expression: string, frameId: number | undefined, returnByValue = false): Promise<RemoteObject> {
    const inspector = this.#need();
    const common = { expression, objectGroup: "dap-paused", silent: true, returnByValue, generatePreview: true };
    const r =
      frameId !== undefined && this.#paused
        ? await inspector.post<{ result: RemoteObject; exceptionDetails?: { exception?: RemoteObject; text: string } }>("Debugger.evaluateOnCallFrame", { callFrameId: this.#frame(frameId).callFrameId, ...common })
        : await inspector.post<{ result: RemoteObject; exceptionDetails?: { exception?: RemoteObject; text: string } }>("Runtime.evaluate", common);
    if (r.exceptionDetails) throw new DapError(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
    return r.result;
  }

  /** Evaluates a TypeScript expression: as JavaScript when it is, else with its types stripped. */
  async #evaluate(expression: string, frameId: number | undefined): Promise<Record<string, unknown>> {
    const o = await this.#run(expression, frameId).catch((err: unknown) => {
      if (!(err instanceof DapError) || !err.message.startsWith("SyntaxError")) throw err;
      return this.#run(stripTypes(expression), frameId);
    });
    const v = toVariable(expression, o, this.#paused ? this.#pausedRefs : this.#globalRefs);
    return { result: v.value, type: v.type, variablesReference: v.variablesReference };
  }

  async #richInspect(name: string, frameId: number | undefined): Promise<Record<string, unknown>> {
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new DapError(`${JSON.stringify(name)} is not a variable name`);
    const o = await this.#run(`globalThis.${HOOKS_GLOBAL}.rich(${name})`, frameId, true);
    const parsed = JSON.parse(String(o.value)) as { data: Record<string, unknown>; metadata: Record<string, unknown> };
    return { data: parsed.data, metadata: parsed.metadata };
  }

  async #copyToGlobals(a: Record<string, unknown>): Promise<undefined> {
    const src = str(a.srcVariableName, "srcVariableName");
    const dst = str(a.dstVariableName, "dstVariableName");
    if (![src, dst].every((n) => /^[A-Za-z_$][\w$]*$/.test(n))) throw new DapError("copyToGlobals takes variable names");
    await this.#run(`globalThis[${JSON.stringify(dst)}] = ${src}, globalThis.${HOOKS_GLOBAL}.declare(${JSON.stringify(dst)})`, num(a.srcFrameId, "srcFrameId"));
    return undefined;
  }

  #source(a: Record<string, unknown>): Record<string, unknown> {
    const path = str((a.source as { path?: unknown } | undefined)?.path, "source.path");
    const content = this.files.read(path);
    if (content === undefined) throw new DapError(`no source for ${path}`);
    return { content, mimeType: "text/typescript" };
  }

  #need(): Inspector {
    if (!this.#inspector) throw new DapError("the debugger is not started (send initialize first)");
    return this.#inspector;
  }

  #emit(event: string, body?: Record<string, unknown>): void {
    this.#o.emit({ seq: this.#seq++, type: "event", event, ...(body ? { body } : {}) });
  }
}

/** A TypeScript expression as JavaScript (`x as number` → `x`). */
function stripTypes(expression: string): string {
  const ts = typescript();
  const js = ts.transpileModule(`(${expression}\n)`, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  return js.trim().replace(/;$/, "");
}

function str(v: unknown, name: string): string {
  if (typeof v !== "string") throw new DapError(`${name} must be a string, got ${JSON.stringify(v)}`);
  return v;
}

function num(v: unknown, name: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new DapError(`${name} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

function optNum(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}
