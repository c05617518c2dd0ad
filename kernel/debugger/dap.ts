/**
 * The Debug Adapter Protocol messages that travel inside Jupyter's `debug_request` / `debug_reply` /
 * `debug_event` (the message content is the DAP message), and the Chrome DevTools Protocol surface the
 * adapter drives (node:inspector, or a double in tests).
 */

export interface DapRequest {
  seq: number;
  type: "request";
  command: string;
  arguments?: Record<string, unknown>;
}

export interface DapResponse {
  seq: number;
  type: "response";
  request_seq: number;
  success: boolean;
  command: string;
  message?: string;
  body?: Record<string, unknown>;
}

export interface DapEvent {
  seq: number;
  type: "event";
  event: string;
  body?: Record<string, unknown>;
}

/** A DAP variable (also what inspectVariables lists). */
export interface DapVariable {
  name: string;
  value: string;
  type: string;
  evaluateName: string;
  variablesReference: number;
  /** `rawString` on strings: the front end shows them without their quotes. */
  presentationHint?: { attributes: string[] };
}

/** A CDP Runtime.RemoteObject (the fields the adapter reads). */
export interface RemoteObject {
  type: string;
  subtype?: string;
  className?: string;
  value?: unknown;
  unserializableValue?: string;
  description?: string;
  objectId?: string;
  preview?: ObjectPreview;
}

export interface ObjectPreview {
  type: string;
  subtype?: string;
  description?: string;
  overflow: boolean;
  properties: { name: string; type: string; subtype?: string; value?: string }[];
}

/** A CDP Debugger.CallFrame (the fields the adapter reads). */
export interface CallFrame {
  callFrameId: string;
  functionName: string;
  location: { scriptId: string; lineNumber: number; columnNumber?: number };
  url: string;
  scopeChain: { type: string; name?: string; object: RemoteObject }[];
}

/** The inspector session the adapter drives: commands and events of the main thread's V8. */
export interface Inspector {
  post<T = Record<string, unknown>>(method: string, params?: Record<string, unknown>): Promise<T>;
  on(event: string, listener: (params: Record<string, unknown>) => void): void;
  disconnect(): void;
}

/** The global the engine's main thread offers the debugger (kernel/debugger/hooks.ts). */
export const HOOKS_GLOBAL = "__statarb_debug__";

/** The one thread the debugger shows: the engine's main thread, which runs cells. */
export const THREAD_ID = 1;

/** An error a request answers with (success: false, the message shown to the user). */
export class DapError extends Error {
  override name = "DapError";
}
