/**
 * The kernel's transport: the five Jupyter channels over zeromq, behind a small interface so the
 * kernel logic can be driven by a test double. The sockets live on the kernel process's main thread,
 * which runs no user code (cells run in the engine process, kernel/executor), so heartbeats and
 * control requests are answered whatever a cell does.
 */
import * as zmq from "zeromq";

export type Channel = "shell" | "control" | "stdin" | "iopub";

/** What the kernel needs from a transport. */
export interface Transport {
  /**
   * Starts delivering incoming multipart messages of shell, control and stdin to `handler`;
   * `receivedAt` is when the message arrived (ms since the epoch, sub-millisecond: timeOrigin + performance.now()), for aborting queued requests.
   */
  start(handler: (channel: Channel, frames: Buffer[], receivedAt: number) => void): void;
  /** Sends a multipart message (queued: zeromq allows one pending send per socket). */
  send(channel: Channel, frames: (Buffer | string)[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * The blocking half of the stdin channel: `prompt()` in a cell is synchronous, so the thread running
 * cells waits for the front end's input_reply.
 */
export interface InputChannel {
  /** Sends input_request frames on stdin, then blocks until a reply's frames arrive or the user interrupts. */
  requestSync(frames: (Buffer | string)[]): Buffer[] | "interrupted";
}

/** Fields of a Jupyter connection file. */
export interface ConnectionInfo {
  transport: string;
  ip: string;
  shell_port: number;
  control_port: number;
  stdin_port: number;
  iopub_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
}

/** How long the first iopub messages wait for a first subscriber before they go out anyway (ms). */
const HOLD_IOPUB_MS = 1000;

export class ZmqTransport implements Transport {
  readonly #shell = new zmq.Router();
  readonly #control = new zmq.Router();
  readonly #stdin = new zmq.Router();
  /** XPUB, so new subscriptions are seen and greeted with iopub_welcome (JEP 65). */
  readonly #iopub = new zmq.XPublisher();
  readonly #hb = new zmq.Reply();
  readonly #queues = new Map<Channel, Promise<void>>();
  #closed = false;
  #onSubscribe: ((topic: Buffer) => void) | undefined;
  /** iopub messages held until the first subscriber is greeted (JEP 65), or null once released. */
  #heldIopub: (Buffer | string)[][] | null = null;

  private constructor() {
    this.#iopub.verbosity = "allSubs";
  }

  /** Called for every iopub subscription (JEP 65: the kernel answers with iopub_welcome). */
  onSubscribe(listener: (topic: Buffer) => void): void {
    this.#onSubscribe = listener;
  }

  /**
   * JEP 65: iopub_welcome must be a subscriber's first message. zmq registers a subscription before
   * it is read here, so the first iopub messages (the "starting" status) are held until the first
   * subscriber has been greeted with `welcome(topic)`, or for HOLD_IOPUB_MS when nobody subscribes.
   */
  greetSubscribers(welcome: (topic: Buffer) => (Buffer | string)[]): void {
    this.#heldIopub = [];
    const release = (): void => {
      const held = this.#heldIopub;
      this.#heldIopub = null;
      for (const frames of held ?? []) void this.#sendNow("iopub", frames).catch(() => undefined);
    };
    setTimeout(release, HOLD_IOPUB_MS).unref();
    this.onSubscribe((topic) => {
      void this.#sendNow("iopub", welcome(topic)).catch(() => undefined);
      release();
    });
  }

  static async bind(info: ConnectionInfo): Promise<ZmqTransport> {
    const t = new ZmqTransport();
    const addr = (port: number) => (info.transport === "ipc" ? `ipc://${info.ip}-${port}` : `tcp://${info.ip}:${port}`);
    for (const s of [t.#shell, t.#control, t.#stdin, t.#iopub, t.#hb]) s.linger = 0;
    await Promise.all([
      t.#shell.bind(addr(info.shell_port)),
      t.#control.bind(addr(info.control_port)),
      t.#stdin.bind(addr(info.stdin_port)),
      t.#iopub.bind(addr(info.iopub_port)),
      t.#hb.bind(addr(info.hb_port)),
    ]);
    return t;
  }

  start(handler: (channel: Channel, frames: Buffer[], receivedAt: number) => void): void {
    const pump = async (channel: Channel, socket: zmq.Router) => {
      try {
        for await (const frames of socket) handler(channel, frames, performance.timeOrigin + performance.now());
      } catch (err) {
        if (!this.#closed) process.stderr.write(`[statarb kernel] ${channel} socket stopped: ${String(err)}\n`);
      }
    };
    void pump("shell", this.#shell);
    void pump("control", this.#control);
    void pump("stdin", this.#stdin);
    void (async () => {
      try {
        for await (const [frame] of this.#iopub) {
          if (frame && frame[0] === 1) this.#onSubscribe?.(frame.subarray(1));
        }
      } catch (err) {
        if (!this.#closed) process.stderr.write(`[statarb kernel] iopub subscriptions stopped: ${String(err)}\n`);
      }
    })();
    void (async () => {
      try {
        for await (const frames of this.#hb) await this.#hb.send(frames);
      } catch {
        /* closed */
      }
    })();
  }

  send(channel: Channel, frames: (Buffer | string)[]): Promise<void> {
    if (channel === "iopub" && this.#heldIopub !== null) {
      this.#heldIopub.push(frames);
      return Promise.resolve();
    }
    return this.#sendNow(channel, frames);
  }

  #sendNow(channel: Channel, frames: (Buffer | string)[]): Promise<void> {
    const socket = { shell: this.#shell, control: this.#control, stdin: this.#stdin, iopub: this.#iopub }[channel];
    const prev = this.#queues.get(channel) ?? Promise.resolve();
    const next = prev.then(
      () => (this.#closed ? undefined : socket.send(frames)),
      () => (this.#closed ? undefined : socket.send(frames)),
    );
    this.#queues.set(channel, next.catch(() => undefined));
    return next;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#queues.values()]);
    this.#closed = true;
    for (const s of [this.#shell, this.#control, this.#stdin, this.#iopub, this.#hb]) s.close();
  }
}
