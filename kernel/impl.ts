/**
 * The language surface of the kernel (DESIGN.md example 9, after xeus' `xinterpreter`): `Kernel` does
 * the protocol bookkeeping — busy/idle, execution counts, execute_input/execute_result/error messages,
 * history, comms, replies — and a language implements only `KernelImpl`.
 */
import type { CommHost, CommRegistry } from "./comms.js";

/** A Jupyter mime bundle: mime type → data. */
export type MimeBundle = Record<string, unknown>;

export interface LanguageInfo {
  name: string;
  version: string;
  mimetype: string;
  file_extension: string;
  /** The plain string form (e.g. "typescript"); some clients refuse the object form. */
  codemirror_mode: string;
  pygments_lexer: string;
  nbconvert_exporter: string;
}

/** One execute_request as the language sees it. */
export interface ExecuteRequest {
  code: string;
  silent: boolean;
  storeHistory: boolean;
  allowStdin: boolean;
  /** The execution count this cell will be shown with. */
  executionCount: number;
}

export type ExecuteOutcome =
  | { status: "ok"; result?: { data: MimeBundle; metadata: Record<string, unknown> }; payload?: Record<string, unknown>[] }
  | { status: "error"; ename: string; evalue: string; traceback: string[] };

/** What the kernel offers a language for talking to the front end while (and after) cells run. */
export interface KernelIO {
  /** Streams text on iopub to the running cell (or to the last one when none runs). */
  stream(name: "stdout" | "stderr", text: string): void;
  /** Sends display_data (or update_display_data when `update`). */
  display(data: MimeBundle, metadata?: Record<string, unknown>, transient?: Record<string, unknown>, update?: boolean): void;
  clearOutput(wait: boolean): void;
  /** Asks the front end for a line of input (stdin channel); blocks the thread until it answers. */
  input(prompt: string, password: boolean): string;
  /**
   * The same without blocking, for a language that runs cells elsewhere (kernel/executor): resolves to
   * the answer; rejects with StdinNotImplementedError when the front end takes no input, KeyboardInterrupt
   * when the user interrupts.
   */
  requestInput(prompt: string, password: boolean): Promise<string>;
  readonly comms: CommRegistry;
  /** The msg_id of the request whose outputs are being sent now (the parent of iopub messages). */
  parentMsgId?(): string | undefined;
  /** Publishes a Debug Adapter Protocol event (debug_event on iopub). */
  debugEvent(event: Record<string, unknown>): void;
  /** Writes a line to the kernel's own log (stderr of the kernel process), never to the notebook. */
  log(message: string): void;
}

export interface CompleteReply {
  matches: string[];
  cursor_start: number;
  cursor_end: number;
  metadata: Record<string, unknown>;
}

export interface InspectReply {
  found: boolean;
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

export interface IsCompleteReply {
  status: "complete" | "incomplete" | "invalid" | "unknown";
  indent?: string;
}

export interface KernelImpl {
  readonly implementation: string;
  readonly implementationVersion: string;
  readonly languageInfo: LanguageInfo;
  readonly banner: string;
  readonly helpLinks: { text: string; url: string }[];
  /** Called once before the first request. */
  attach(io: KernelIO): void;
  execute(request: ExecuteRequest): Promise<ExecuteOutcome>;
  /** Evaluates user_expressions after a successful execute (name → expression). */
  userExpressions(expressions: Record<string, string>): Promise<Record<string, unknown>>;
  complete(code: string, cursorPos: number): Promise<CompleteReply>;
  inspect(code: string, cursorPos: number, detailLevel: 0 | 1): Promise<InspectReply>;
  isComplete(code: string): Promise<IsCompleteReply>;
  /** Stops the running cell (the kernel calls it on interrupt_request and on SIGINT). */
  interrupt(): void;
  shutdown(restart: boolean): Promise<void>;
  /**
   * Replaces the running language by a fresh one, as at the kernel's start (no variable, module or
   * session state left); resolves when a cell can run. The kernel's statarb_reset_request calls it.
   */
  reset?(): Promise<void>;
  /** Called once the kernel has been idle a while after startup (no request arriving), to warm heavy modules in the background. */
  warmUp?(): void;
  /**
   * Resolves when the language can run a cell at once (its engine started, its compiler loaded): the
   * kernel answers kernel_info only then, so a front end's first cell does not wait behind the start.
   */
  readonly ready?: Promise<void>;
  /** The comms of the process that runs cells, when it is not the kernel's own registry (kernel/executor). */
  readonly comms?: CommHost;
  /**
   * Answers a Debug Adapter Protocol request (a debug_request's content) with the DAP response (the
   * debug_reply's content); a language that has it reports `debugger: true` in kernel_info.
   */
  debugRequest?(request: Record<string, unknown>): Promise<Record<string, unknown>>;
}
