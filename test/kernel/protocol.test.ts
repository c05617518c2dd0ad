/**
 * The protocol core (kernel/kernel.ts) driven in-process through the MemoryTransport test double with
 * a scripted language: HMAC checks, busy/idle with the right parent, execute bookkeeping, stop_on_error
 * aborting only requests queued before the error, comms, stdin, history and shutdown.
 */
import { describe, expect, it } from "vitest";
import type { ExecuteOutcome, ExecuteRequest, KernelImpl, KernelIO } from "../../kernel/impl.js";
import { Kernel } from "../../kernel/kernel.js";
import { MemoryTransport } from "../../kernel/memory-transport.js";
import { decode, encode, newHeader, Signer, type Message } from "../../kernel/wire.js";

const KEY = "secret-key";
const signer = new Signer(KEY, "hmac-sha256");

/** A language whose cells are commands: `value X`, `fail`, `print X`, `wait MS`, `ask`. */
class ScriptedImpl implements KernelImpl {
  readonly implementation = "scripted";
  readonly implementationVersion = "1";
  readonly languageInfo = { name: "scripted", version: "1", mimetype: "text/plain", file_extension: ".txt", codemirror_mode: "null", pygments_lexer: "text", nbconvert_exporter: "script" };
  readonly banner = "";
  readonly helpLinks = [];
  io!: KernelIO;
  ran: string[] = [];
  interrupted = 0;
  warmUps = 0;
  warmUp(): void {
    this.warmUps++;
  }
  attach(io: KernelIO): void {
    this.io = io;
  }
  async execute(req: ExecuteRequest): Promise<ExecuteOutcome> {
    this.ran.push(req.code);
    const [cmd, arg = ""] = req.code.split(" ");
    if (cmd === "fail") return { status: "error", ename: "Boom", evalue: "failed", traceback: ["Boom: failed"] };
    if (cmd === "print") this.io.stream("stdout", `${arg}\n`);
    if (cmd === "wait") await new Promise((r) => setTimeout(r, Number(arg)));
    if (cmd === "ask") return { status: "ok", result: { data: { "text/plain": this.io.input("name?", false) }, metadata: {} } };
    if (cmd === "value") return { status: "ok", result: { data: { "text/plain": arg }, metadata: {} } };
    return { status: "ok" };
  }
  async userExpressions(): Promise<Record<string, unknown>> {
    return {};
  }
  async complete(_c: string, pos: number) {
    return { matches: [], cursor_start: pos, cursor_end: pos, metadata: {} };
  }
  async inspect() {
    return { found: false, data: {}, metadata: {} };
  }
  async isComplete() {
    return { status: "complete" as const };
  }
  interrupt(): void {
    this.interrupted++;
  }
  async shutdown(): Promise<void> {}
}

/** The same language with a reset (as the engine-backed one: kernel/executor/client.ts). */
class ResettableImpl extends ScriptedImpl {
  resets = 0;
  async reset(): Promise<void> {
    this.resets++;
    this.ran = [];
  }
}

function setup(options: { warmUp?: boolean; warmUpIdleMs?: number; resettable?: boolean } = {}) {
  const transport = new MemoryTransport();
  const impl = options.resettable ? new ResettableImpl() : new ScriptedImpl();
  const log: string[] = [];
  let shutdown: boolean | undefined;
  const kernel = new Kernel({ transport, signer, impl, input: transport, log: (l) => log.push(l), onShutdown: (r) => (shutdown = r), streamFlushMs: 1, ...options });
  kernel.start();
  const session = "client-session";
  const send = (channel: "shell" | "control", type: string, content: Record<string, unknown>, s: Signer = signer) => {
    const header = newHeader(type, session);
    transport.deliver(channel, encode(s, [Buffer.from("client-id")], header, {}, content));
    return header.msg_id;
  };
  const messages = (channel: string): Message[] => transport.sent.filter((m) => m.channel === channel).map((m) => decode(m.frames, signer));
  const iopubFor = (id: string) => messages("iopub").filter((m) => m.parent_header.msg_id === id);
  const replyTo = (id: string, channel = "shell") => messages(channel).find((m) => m.parent_header.msg_id === id);
  const settle = async (id: string, channel = "shell") => {
    for (let i = 0; i < 200 && !iopubFor(id).some((m) => m.header.msg_type === "status" && m.content.execution_state === "idle"); i++) await new Promise((r) => setTimeout(r, 5));
    return replyTo(id, channel);
  };
  return { transport, impl, log, kernel, send, messages, iopubFor, replyTo, settle, shutdown: () => shutdown };
}

const execute = (code: string, extra: Record<string, unknown> = {}) => ({ code, silent: false, store_history: true, user_expressions: {}, allow_stdin: true, stop_on_error: true, ...extra });

describe("kernel protocol core", () => {
  it("announces starting, and wraps kernel_info in busy/idle with the request as parent", async () => {
    const k = setup();
    expect(k.messages("iopub")[0]?.content).toEqual({ execution_state: "starting" });
    const id = k.send("shell", "kernel_info_request", {});
    const reply = await k.settle(id);
    expect(reply?.header.msg_type).toBe("kernel_info_reply");
    expect(reply?.content).toMatchObject({ status: "ok", protocol_version: "5.3", implementation: "scripted" });
    expect(k.iopubFor(id).map((m) => m.content.execution_state)).toEqual(["busy", "idle"]);
    expect(reply?.identities.map(String)).toEqual(["client-id"]);
  });

  it("warms the language up once, when first idle, unless told not to (warmUp: false, batch runs)", async () => {
    for (const [options, expected] of [[{ warmUpIdleMs: 20 }, 1], [{ warmUp: false, warmUpIdleMs: 20 }, 0]] as const) {
      const k = setup(options);
      await k.settle(k.send("shell", "kernel_info_request", {}));
      await k.settle(k.send("shell", "execute_request", execute("value 1")));
      await new Promise((r) => setTimeout(r, 60));
      expect(k.impl.warmUps).toBe(expected);
      expect(k.impl.ran).toEqual(["value 1"]);
    }
  });

  it("puts the warm-up off while requests keep coming, and starts it once the kernel has been idle that long", async () => {
    const k = setup({ warmUpIdleMs: 1000 });
    await k.settle(k.send("shell", "kernel_info_request", {}));
    for (let i = 0; i < 8; i++) await k.settle(k.send("shell", "execute_request", execute(`value ${i}`)));
    expect(k.impl.warmUps).toBe(0);
    for (let i = 0; i < 100 && k.impl.warmUps === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(k.impl.warmUps).toBe(1);
    expect(k.impl.ran).toHaveLength(8);
    await k.settle(k.send("shell", "execute_request", execute("value 9")));
    await new Promise((r) => setTimeout(r, 1200));
    expect(k.impl.warmUps).toBe(1);
  });

  it("statarb_reset_request makes the kernel a fresh one: the language's reset, count 0, empty history, no abort pending", async () => {
    const k = setup({ resettable: true });
    await k.settle(k.send("shell", "execute_request", execute("value 1")));
    const failed = k.send("shell", "execute_request", execute("fail"));
    await k.settle(failed);
    const reset = k.send("control", "statarb_reset_request", {});
    const reply = await k.settle(reset, "control");
    expect(reply?.header.msg_type).toBe("statarb_reset_reply");
    expect(reply?.content).toEqual({ status: "ok" });
    expect(k.iopubFor(reset).map((m) => m.content.execution_state)).toEqual(["busy", "idle"]);
    expect((k.impl as ResettableImpl).resets).toBe(1);
    expect(k.kernel.executionCount).toBe(0);
    const after = k.send("shell", "execute_request", execute("value 2"));
    expect((await k.settle(after))?.content).toMatchObject({ status: "ok", execution_count: 1 });
    const history = await k.settle(k.send("shell", "history_request", { hist_access_type: "tail", n: 10, output: false, raw: true }));
    expect(history?.content.history).toEqual([[1, 1, "value 2"]]);
    // a language without a reset: an error reply, nothing changed
    const plain = setup();
    await plain.settle(plain.send("shell", "execute_request", execute("value 1")));
    const refused = await plain.settle(plain.send("control", "statarb_reset_request", {}), "control");
    expect(refused?.content).toMatchObject({ status: "error", ename: "NotImplementedError" });
    expect(plain.kernel.executionCount).toBe(1);
  });

  it("drops wrongly signed and unsigned messages, logs them and never runs them", async () => {
    const k = setup();
    k.send("shell", "execute_request", execute("value forged"), new Signer("wrong-key", "hmac-sha256"));
    k.send("shell", "execute_request", execute("value unsigned"), new Signer("", "hmac-sha256"));
    k.transport.deliver("shell", ["garbage"]);
    await new Promise((r) => setTimeout(r, 20));
    expect(k.impl.ran).toEqual([]);
    expect(k.messages("iopub").length).toBe(1); // only "starting": no busy for a dropped message
    expect(k.log).toEqual([
      "dropped a message on shell: bad HMAC signature",
      "dropped a message on shell: unsigned message",
      "dropped a message on shell: no <IDS|MSG> delimiter",
    ]);
  });

  it("publishes execute_input, streams, execute_result and replies ok with the count", async () => {
    const k = setup();
    const a = k.send("shell", "execute_request", execute("print hello"));
    const b = k.send("shell", "execute_request", execute("value 42"));
    await k.settle(b);
    expect(k.iopubFor(a).map((m) => m.header.msg_type)).toEqual(["status", "execute_input", "stream", "status"]);
    expect(k.iopubFor(a)[2]?.content).toEqual({ name: "stdout", text: "hello\n" });
    const result = k.iopubFor(b).find((m) => m.header.msg_type === "execute_result");
    expect(result?.content).toEqual({ execution_count: 2, data: { "text/plain": "42" }, metadata: {} });
    expect(k.replyTo(b)?.content).toMatchObject({ status: "ok", execution_count: 2 });
  });

  it("silent executions publish nothing and do not count", async () => {
    const k = setup();
    const id = k.send("shell", "execute_request", execute("value 1", { silent: true }));
    const reply = await k.settle(id);
    expect(reply?.content).toMatchObject({ status: "ok", execution_count: 0 });
    expect(k.iopubFor(id).map((m) => m.header.msg_type)).toEqual(["status", "status"]);
  });

  it("a queued cell skipped after an error gets no execution number, and the next cell the next one", async () => {
    const k = setup();
    const failing = k.send("shell", "execute_request", execute("fail"));
    const queued = k.send("shell", "execute_request", execute("value queued"));
    expect((await k.settle(queued))?.content).toEqual({ status: "aborted" });
    const count = k.replyTo(failing)?.content.execution_count as number;
    expect(k.iopubFor(queued).some((m) => m.header.msg_type === "execute_input")).toBe(false);
    await new Promise((r) => setTimeout(r, 5));
    const later = k.send("shell", "execute_request", execute("value later"));
    expect((await k.settle(later))?.content).toMatchObject({ status: "ok", execution_count: count + 1 });
  });

  it("after an error aborts only the requests queued before it; later ones run", async () => {
    const k = setup();
    const failing = k.send("shell", "execute_request", execute("fail"));
    const queued = k.send("shell", "execute_request", execute("value queued"));
    const err = await k.settle(queued);
    expect(k.replyTo(failing)?.content).toMatchObject({ status: "error", ename: "Boom", evalue: "failed", traceback: ["Boom: failed"] });
    expect(k.iopubFor(failing).find((m) => m.header.msg_type === "error")?.content).toEqual({ ename: "Boom", evalue: "failed", traceback: ["Boom: failed"] });
    expect(err?.content.status).toBe("aborted");
    await new Promise((r) => setTimeout(r, 5));
    const later = k.send("shell", "execute_request", execute("value later"));
    expect((await k.settle(later))?.content.status).toBe("ok");
    expect(k.impl.ran).toEqual(["fail", "value later"]);
  });

  it("answers control requests while a cell runs, and forwards interrupts to the language", async () => {
    const k = setup();
    const running = k.send("shell", "execute_request", execute("wait 50"));
    const interrupt = k.send("control", "interrupt_request", {});
    const info = k.send("control", "kernel_info_request", {});
    expect((await k.settle(interrupt, "control"))?.content).toEqual({ status: "ok" });
    expect((await k.settle(info, "control"))?.header.msg_type).toBe("kernel_info_reply");
    expect(k.replyTo(running)).toBeUndefined();
    expect(k.impl.interrupted).toBe(1);
    expect((await k.settle(running))?.content.status).toBe("ok");
  });

  it("asks for input on stdin with the execute request as parent and returns the reply", async () => {
    const k = setup();
    k.transport.inputReplier = (frames) => {
      const req = decode(frames, signer);
      expect(req.header.msg_type).toBe("input_request");
      expect(req.content).toEqual({ prompt: "name?", password: false });
      return encode(signer, [Buffer.from("client-id")], newHeader("input_reply", "client-session"), req.header, { value: "Ada" }) as Buffer[];
    };
    const id = k.send("shell", "execute_request", execute("ask"));
    await k.settle(id);
    const stdinReq = k.transport.sent.find((m) => m.channel === "stdin");
    expect(decode(stdinReq?.frames ?? [], signer).parent_header.msg_id).toBe(id);
    expect(k.iopubFor(id).find((m) => m.header.msg_type === "execute_result")?.content.data).toEqual({ "text/plain": "Ada" });
    const noStdin = k.send("shell", "execute_request", execute("ask", { allow_stdin: false }));
    expect((await k.settle(noStdin))?.content).toMatchObject({ status: "error", ename: "InternalError" });
  });

  it("keeps a comm registry: targets, comm_msg routing, comm_info, closing unknown targets", async () => {
    const k = setup();
    const received: unknown[] = [];
    k.kernel.comms.registerTarget("echo", (comm, data) => {
      received.push(data);
      comm.onMsg((d) => comm.send({ echo: d }));
    });
    await k.settle(k.send("shell", "comm_open", { comm_id: "c1", target_name: "echo", data: { a: 1 } }));
    await k.settle(k.send("shell", "comm_msg", { comm_id: "c1", data: { b: 2 } }));
    expect(received).toEqual([{ a: 1 }]);
    expect(k.messages("iopub").find((m) => m.header.msg_type === "comm_msg")?.content).toEqual({ comm_id: "c1", data: { echo: { b: 2 } } });
    const info = await k.settle(k.send("shell", "comm_info_request", {}));
    expect(info?.content).toEqual({ status: "ok", comms: { c1: { target_name: "echo" } } });
    await k.settle(k.send("shell", "comm_open", { comm_id: "c2", target_name: "missing", data: {} }));
    expect(k.messages("iopub").find((m) => m.header.msg_type === "comm_close")?.content).toEqual({ comm_id: "c2", data: {} });
    await k.settle(k.send("shell", "comm_close", { comm_id: "c1", data: {} }));
    expect((await k.settle(k.send("shell", "comm_info_request", {})))?.content.comms).toEqual({});
  });

  it("answers history (tail, range, search) and shuts down with a reply", async () => {
    const k = setup();
    for (const c of ["value 1", "value 2", "print x"]) await k.settle(k.send("shell", "execute_request", execute(c)));
    const tail = await k.settle(k.send("shell", "history_request", { hist_access_type: "tail", n: 2, output: false, raw: true }));
    expect(tail?.content.history).toEqual([[1, 2, "value 2"], [1, 3, "print x"]]);
    const search = await k.settle(k.send("shell", "history_request", { hist_access_type: "search", pattern: "value*", output: false, raw: true }));
    expect(search?.content.history).toEqual([[1, 1, "value 1"], [1, 2, "value 2"]]);
    const range = await k.settle(k.send("shell", "history_request", { hist_access_type: "range", session: 0, start: 2, stop: 3, output: false, raw: true }));
    expect(range?.content.history).toEqual([[1, 2, "value 2"]]);
    const down = await k.settle(k.send("control", "shutdown_request", { restart: true }), "control");
    expect(down?.content).toEqual({ status: "ok", restart: true });
    expect(k.shutdown()).toBe(true);
    expect(k.transport.closed).toBe(true);
  });
});
