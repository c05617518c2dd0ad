/**
 * A kdb+ IPC client over TCP: the handshake ("user:password" + capability byte 3 + NUL, answered by
 * one byte), sync requests answered by response messages (errors come back as type −128),
 * async messages both ways (a tickerplant publishes with async `upd` calls), and decompression of
 * compressed responses. Requests above 2,000 bytes are compressed when that halves them and the peer
 * is not on localhost (kdb+'s own rule).
 */
import { connect, type Socket } from "node:net";
import { ByteQueue } from "../../core/byte-queue.js";
import { compress } from "./compress.js";
import { decodeMessage, type QMessage } from "./decode.js";
import { encodeMessage } from "./encode.js";
import { QMessageType, type QObject } from "./types.js";

/** Options of {@link QConnection.open}. */
export interface QConnectionOptions {
  host?: string;
  port: number;
  user?: string;
  password?: string;
  /** Capability byte sent in the handshake (default 3: compression, timestamps, timespans, GUIDs). */
  capability?: number;
  /** Connect + handshake timeout in ms (default 10 000). */
  connectTimeoutMs?: number;
  /** Compress large requests: "auto" (kdb+'s rule, default), "always" (when it helps), "never". */
  compression?: "auto" | "always" | "never";
}

export class QConnection {
  readonly #socket: Socket;
  readonly host: string;
  readonly port: number;
  /** Capability the server agreed to. */
  readonly capability: number;
  readonly #compression: "auto" | "always" | "never";
  readonly #bytes = new ByteQueue();
  #waiters: { resolve(m: QMessage): void; reject(e: Error): void }[] = [];
  #closed = false;
  /** Called for async messages the server sends (e.g. tickerplant updates). */
  onAsync: ((value: QObject) => void) | undefined;
  /** Called once when the socket closes. */
  onClose: (() => void) | undefined;

  private constructor(socket: Socket, host: string, port: number, capability: number, compression: "auto" | "always" | "never") {
    this.#socket = socket;
    this.host = host;
    this.port = port;
    this.capability = capability;
    this.#compression = compression;
    socket.on("data", (c: Buffer) => this.#onData(c));
    socket.on("close", () => this.#onClosed(new Error(`kdb+ connection to ${host}:${port} closed`)));
    socket.on("error", (e) => this.#onClosed(e));
  }

  /** Connects and performs the handshake. */
  static open(options: QConnectionOptions): Promise<QConnection> {
    const host = options.host ?? "localhost";
    const { port } = options;
    const cap = options.capability ?? 3;
    const credentials = `${options.user ?? ""}${options.password !== undefined ? `:${options.password}` : ""}`;
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`kdb+ at ${host}:${port} did not answer the handshake within ${options.connectTimeoutMs ?? 10_000} ms`));
      }, options.connectTimeoutMs ?? 10_000);
      const fail = (e: Error): void => {
        clearTimeout(timer);
        reject(new Error(`cannot connect to kdb+ at ${host}:${port}: ${e.message}`));
      };
      socket.once("error", fail);
      socket.once("close", () => fail(new Error("the server closed the connection (credentials rejected?)")));
      socket.once("connect", () => socket.write(Buffer.concat([Buffer.from(credentials, "utf8"), Buffer.from([cap, 0])])));
      socket.once("data", (b: Buffer) => {
        clearTimeout(timer);
        socket.removeAllListeners("error");
        socket.removeAllListeners("close");
        const conn = new QConnection(socket, host, port, b[0] ?? 0, options.compression ?? "auto");
        if (b.length > 1) conn.#onData(b.subarray(1));
        resolve(conn);
      });
    });
  }

  /** Sends a sync request and waits for its response; a q error rejects with the q message. */
  sync(x: QObject): Promise<QObject> {
    if (this.#closed) return Promise.reject(new Error(`kdb+ connection to ${this.host}:${this.port} is closed`));
    return new Promise<QMessage>((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
      this.#send(x, QMessageType.sync);
    }).then((m) => m.value);
  }

  /** Sends an async message (no response). */
  async(x: QObject): void {
    if (this.#closed) throw new Error(`kdb+ connection to ${this.host}:${this.port} is closed`);
    this.#send(x, QMessageType.async);
  }

  close(): void {
    this.#closed = true;
    this.#socket.destroy();
  }

  get closed(): boolean {
    return this.#closed;
  }

  #send(x: QObject, msgType: 0 | 1 | 2): void {
    let msg = encodeMessage(x, msgType);
    const local = this.host === "localhost" || this.host === "127.0.0.1" || this.host === "::1";
    const want = this.#compression === "always" || (this.#compression === "auto" && !local);
    if (want && this.capability >= 1 && msg.length > 2000) msg = compress(msg) ?? msg;
    this.#socket.write(msg);
  }

  #onData(chunk: Buffer): void {
    this.#bytes.push(chunk);
    for (;;) {
      if (this.#bytes.length < 8) return;
      const head = this.#bytes.peek(8);
      const len = head[0] === 1 ? head.readUInt32LE(4) : head.readUInt32BE(4);
      if (this.#bytes.length < len) return;
      // its own ArrayBuffer at offset 0, so the decoder's typed-array views are aligned
      const msg = new Uint8Array(new ArrayBuffer(len));
      this.#bytes.takeInto(msg);
      let m: QMessage;
      try {
        m = decodeMessage(msg);
      } catch (e) {
        this.#waiters.shift()?.reject(e as Error);
        continue;
      }
      if (m.msgType === QMessageType.response) this.#waiters.shift()?.resolve(m);
      else if (m.msgType === QMessageType.async) this.onAsync?.(m.value);
      else this.#send({ kind: "error", message: "statarb client does not answer sync requests" }, QMessageType.response);
    }
  }

  #onClosed(e: Error): void {
    if (this.#closed && this.#waiters.length === 0) return;
    this.#closed = true;
    for (const w of this.#waiters.splice(0)) w.reject(e);
    this.onClose?.();
  }
}
