/**
 * The comm registry (Jupyter messaging "custom messages"): comms opened by either side, targets
 * the kernel side registers, and comm_info. Widgets speak through it.
 */
import { randomUUID } from "node:crypto";

export type CommData = Record<string, unknown>;

/** Sends comm_open / comm_msg / comm_close on iopub (set by the kernel). */
export interface CommSender {
  /** `metadata` is the message's metadata (widgets put their protocol version there). */
  send(msgType: "comm_open" | "comm_msg" | "comm_close", content: Record<string, unknown>, buffers?: Buffer[], metadata?: Record<string, unknown>): void;
}

export type CommMessageHandler = (data: CommData, buffers: Buffer[]) => void;

/** One open comm. */
export class Comm {
  readonly #registry: CommRegistry;
  readonly #onMsg: CommMessageHandler[] = [];
  readonly #onClose: ((data: CommData) => void)[] = [];
  #closed = false;

  constructor(
    registry: CommRegistry,
    readonly id: string,
    readonly targetName: string,
  ) {
    this.#registry = registry;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Sends a comm_msg to the front end. */
  send(data: CommData = {}, buffers: Buffer[] = []): void {
    if (this.#closed) throw new Error(`comm ${this.id} (${this.targetName}) is closed`);
    this.#registry.sender?.send("comm_msg", { comm_id: this.id, data }, buffers);
  }

  /** Closes the comm (and tells the front end). */
  close(data: CommData = {}): void {
    if (this.#closed) return;
    this.#registry.sender?.send("comm_close", { comm_id: this.id, data });
    this.closedByPeer(data);
  }

  onMsg(handler: CommMessageHandler): this {
    this.#onMsg.push(handler);
    return this;
  }

  onClose(handler: (data: CommData) => void): this {
    this.#onClose.push(handler);
    return this;
  }

  /** @internal a comm_msg from the front end. */
  received(data: CommData, buffers: Buffer[]): void {
    for (const h of this.#onMsg) h(data, buffers);
  }

  /** @internal closed by the front end (or by `close`). */
  closedByPeer(data: CommData): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#registry.forget(this.id);
    for (const h of this.#onClose) h(data);
  }
}

/**
 * Where the front end's comm messages go: the registry of the process that runs cells (in-process, or
 * the engine process through kernel/executor). Answers may be asynchronous.
 */
export interface CommHost {
  /** A comm_open from the front end; false when no target of that name is registered. */
  openedByPeer(id: string, targetName: string, data: CommData, buffers: Buffer[]): boolean | Promise<boolean>;
  /** A comm_msg from the front end; false when the comm is unknown. */
  messageFromPeer(id: string, data: CommData, buffers: Buffer[]): boolean | Promise<boolean>;
  /** A comm_close from the front end (unknown comms are ignored). */
  closedByPeer(id: string, data: CommData): void | Promise<void>;
  /** comm_info: the open comms, optionally of one target. */
  info(targetName?: string): Record<string, { target_name: string }> | Promise<Record<string, { target_name: string }>>;
}

/** Called when the front end opens a comm with a registered target. */
export type CommTarget = (comm: Comm, data: CommData, buffers: Buffer[]) => void;

export class CommRegistry implements CommHost {
  readonly #comms = new Map<string, Comm>();
  readonly #targets = new Map<string, CommTarget>();
  sender: CommSender | undefined;
  /**
   * The msg_id of the front end's request being handled (the running cell's execute_request, or the
   * comm message whose handler runs): the parent of what is output now. Set by whoever dispatches
   * requests to this registry's process (kernel/executor/main.ts); widgets' Output capture needs it.
   */
  parentMsgId: string | undefined;

  registerTarget(name: string, target: CommTarget): void {
    this.#targets.set(name, target);
  }

  unregisterTarget(name: string): void {
    this.#targets.delete(name);
  }

  /** Opens a comm from the kernel side. */
  open(targetName: string, data: CommData = {}, metadata: Record<string, unknown> = {}, buffers: Buffer[] = []): Comm {
    const comm = new Comm(this, randomUUID().replaceAll("-", ""), targetName);
    this.#comms.set(comm.id, comm);
    this.sender?.send("comm_open", { comm_id: comm.id, target_name: targetName, data, metadata }, buffers, metadata);
    return comm;
  }

  get(id: string): Comm | undefined {
    return this.#comms.get(id);
  }

  /** comm_info: the open comms, optionally of one target. */
  info(targetName?: string): Record<string, { target_name: string }> {
    const out: Record<string, { target_name: string }> = {};
    for (const c of this.#comms.values()) if (!targetName || c.targetName === targetName) out[c.id] = { target_name: c.targetName };
    return out;
  }

  /** A comm_open from the front end; false when no target of that name is registered. */
  openedByPeer(id: string, targetName: string, data: CommData, buffers: Buffer[]): boolean {
    const target = this.#targets.get(targetName);
    if (!target) return false;
    const comm = new Comm(this, id, targetName);
    this.#comms.set(id, comm);
    target(comm, data, buffers);
    return true;
  }

  messageFromPeer(id: string, data: CommData, buffers: Buffer[]): boolean {
    const comm = this.#comms.get(id);
    comm?.received(data, buffers);
    return comm !== undefined;
  }

  closedByPeer(id: string, data: CommData): void {
    this.#comms.get(id)?.closedByPeer(data);
  }

  /** @internal */
  forget(id: string): void {
    this.#comms.delete(id);
  }
}
