/**
 * The bridge protocol without an interpreter: frames split anywhere, end markers split anywhere,
 * the value mapping (NaN/NA bits), and the session's bookkeeping (queueing, timeouts, crash and
 * restart messages) against a test-double transport that speaks the server side of the protocol.
 */
import { describe, expect, it } from "vitest";
import { BridgeCrashError, BridgeError, BridgeNotInstalledError, BridgeTimeoutError } from "../../bridges/core/errors.js";
import { encodeFrame, type Frame, FrameDecoder } from "../../bridges/core/frame.js";
import { endMarker, MarkedStream } from "../../bridges/core/marked-stream.js";
import { RESYNC_TOKEN, type SessionImpl, StdioBridgeSession } from "../../bridges/core/session.js";
import type { BridgeTransport, ProcessSpec, TransportEvents } from "../../bridges/core/transport.js";
import { decodeValue, encodeValue, isRNA, isRNAAt, NA, R_NA_REAL } from "../../bridges/core/values.js";
import { Panel } from "../../lib/data/index.js";
import { Matrix } from "../../lib/stats/index.js";

function concat(chunks: Uint8Array[]): Buffer {
  return Buffer.concat(chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength)));
}

describe("frames", () => {
  it("decodes frames split at every byte boundary", () => {
    const a = encodeFrame({ id: 1, op: "x" }, [new Uint8Array(Float64Array.of(1.5, Number.NaN).buffer)]);
    const b = encodeFrame({ id: 2, op: "y" }, []);
    const bytes = concat([...a, ...b]);
    for (const step of [1, 3, 7, bytes.length]) {
      const got: Frame[] = [];
      const d = new FrameDecoder((f) => got.push(f));
      for (let i = 0; i < bytes.length; i += step) d.push(bytes.subarray(i, i + step));
      expect(got.map((f) => f.header.id)).toEqual([1, 2]);
      const f0 = got[0] as Frame;
      expect(Array.from(new Float64Array((f0.blobs[0] as Uint8Array).buffer))).toEqual([1.5, Number.NaN]);
    }
  });

  it("rejects a header that is not JSON with the offending text", () => {
    const d = new FrameDecoder(() => undefined);
    const bad = Buffer.concat([Buffer.from([3, 0, 0, 0]), Buffer.from("{x}")]);
    expect(() => d.push(bad)).toThrow(/header is not JSON.*\{x\}/);
  });
});

describe("end markers", () => {
  it("streams text and finds markers split across chunks", () => {
    const text: string[] = [];
    const ids: number[] = [];
    const s = new MarkedStream((t) => text.push(t), (id) => ids.push(id));
    const all = `hello\x1ebyte${endMarker(12)}world${endMarker(13)}`;
    for (const ch of all) s.push(ch);
    expect(text.join("")).toBe("hello\x1ebyteworld");
    expect(ids).toEqual([12, 13]);
  });
});

describe("values", () => {
  it("keeps NaN, ±Inf and R's NA_real_ bit for bit", () => {
    const f = Float64Array.of(1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, R_NA_REAL);
    const { node, blobs } = encodeValue(f);
    const back = decodeValue(node, blobs) as Float64Array;
    expect(Array.from(back.slice(0, 4))).toEqual([1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(isRNAAt(back, 4)).toBe(true);
    expect(isRNAAt(back, 1)).toBe(false);
    expect(isRNA(R_NA_REAL)).toBe(true);
    expect(isRNA(Number.NaN)).toBe(false);
  });

  it("round-trips the documented mapping", () => {
    const p = Panel.fromColumns(["2020-01-02", "2020-01-03"], { A: [1, 2], B: [3, Number.NaN] });
    const v = { n: null, na: NA, b: true, x: 2.5, s: "é", f: Float64Array.of(1, 2), i: Int32Array.of(1, -2147483648), l: [true, null], ss: ["a", null], m: new Matrix(2, 1, Float64Array.of(4, 5)), p, mixed: [1, "a"] };
    const { node, blobs } = encodeValue(v);
    const back = decodeValue(JSON.parse(JSON.stringify(node)), blobs) as Record<string, unknown>;
    expect(back.n).toBeNull();
    expect(back.na).toBe(NA);
    expect(back.b).toBe(true);
    expect(back.x).toBe(2.5);
    expect(back.s).toBe("é");
    expect(back.f).toEqual(Float64Array.of(1, 2));
    expect(back.i).toEqual(Int32Array.of(1, -2147483648));
    expect(back.l).toEqual([true, null]);
    expect(back.ss).toEqual(["a", null]);
    expect((back.m as Matrix).data).toEqual(Float64Array.of(4, 5));
    const bp = back.p as Panel;
    expect(bp.assets).toEqual(["A", "B"]);
    expect(Array.from(bp.dates)).toEqual(Array.from(p.dates));
    expect(bp.column("B")[1]).toBeNaN();
    expect(back.mixed).toEqual([1, "a"]);
  });

  it("names what it cannot send", () => {
    expect(() => encodeValue({ a: new Map() })).toThrow(/cannot send Map at \.a/);
  });
});

/** A test double that plays the server side: echo variables, sleep, crash, ignore interrupts. */
function fakeInterpreter(behaviour: { ignoreInterrupt?: boolean; resyncOnInterrupt?: boolean } = {}) {
  const vars = new Map<string, { node: unknown; blobs: Uint8Array[] }>();
  const tokens: number[] = [];
  let lost = 0;
  let starts = 0;
  const starter = (_spec: ProcessSpec, ev: TransportEvents): BridgeTransport => {
    starts++;
    let alive = true;
    let pending: { id: number; timer: NodeJS.Timeout } | undefined;
    const respond = (header: Record<string, unknown>, blobs: Uint8Array[] = [], out = ""): void => {
      if (!alive) return;
      ev.onStdout(out + endMarker(header.id as number));
      ev.onStderr(endMarker(header.id as number));
      const d = new FrameDecoder((f) => ev.onFrame(f));
      d.push(concat(encodeFrame(header, blobs)));
    };
    setTimeout(() => {
      const d = new FrameDecoder((f) => ev.onFrame(f));
      d.push(concat(encodeFrame({ op: "hello", id: 0 }, [])));
    }, 1);
    const reqDecoder = new FrameDecoder((f) => {
      const h = f.header as Record<string, unknown>;
      const id = h.id as number;
      if (h.op === "put") {
        vars.set(h.name as string, { node: h.value, blobs: [...f.blobs] });
        respond({ id, ok: true });
      } else if (h.op === "get") {
        const v = vars.get(h.name as string);
        if (!v) respond({ id, ok: false, error: { message: `object '${h.name}' not found` } });
        else respond({ id, ok: true, value: v.node }, v.blobs);
      } else if (h.op === "eval") {
        const code = h.code as string;
        if (code === "sleep") pending = { id, timer: setTimeout(() => respond({ id, ok: true }), 60_000) };
        else if (code === "lost" && lost++ === 0) {
          // like Octave when a late SIGINT lands while it reads a request: the request is not run, resync
          const d = new FrameDecoder((fr) => ev.onFrame(fr));
          d.push(concat(encodeFrame({ op: "resync", id: 0 }, [])));
        }
        else if (code === "crash") {
          alive = false;
          ev.onStderr("Segmentation fault\n");
          setTimeout(() => ev.onExit(null, "SIGSEGV"), 1);
        } else respond({ id, ok: true }, [], `ran ${code}\n`);
      }
    });
    return {
      pid: 1,
      write: (chunks) => {
        if (!alive) return;
        if (chunks.length === 1 && Buffer.compare(Buffer.from(chunks[0] as Uint8Array), RESYNC_TOKEN) === 0) tokens.push(Date.now());
        else reqDecoder.push(concat([...chunks]));
      },
      interrupt: () => {
        if (behaviour.resyncOnInterrupt && pending) {
          clearTimeout(pending.timer);
          pending = undefined;
          const d = new FrameDecoder((fr) => ev.onFrame(fr));
          d.push(concat(encodeFrame({ op: "resync", id: 0 }, [])));
          return;
        }
        if (behaviour.ignoreInterrupt || !pending) return;
        clearTimeout(pending.timer);
        respond({ id: pending.id, ok: false, error: { message: "interrupted", interrupted: true } });
        pending = undefined;
      },
      kill: () => {
        if (pending) clearTimeout(pending.timer);
        alive = false;
        setTimeout(() => ev.onExit(null, "SIGKILL"), 1);
      },
    };
  };
  return { starter, starts: () => starts, tokens: () => tokens.length };
}

const IMPL: SessionImpl = { language: "R", executable: "node", notInstalled: "R is not installed", spec: () => ({ file: "node", args: [] }) };

describe("session bookkeeping (test-double transport)", () => {
  it("serialises calls and routes each call's output to it", async () => {
    const fake = fakeInterpreter();
    const s = new StdioBridgeSession(IMPL, { transport: fake.starter });
    const streamed: string[] = [];
    const [a, b] = await Promise.all([s.eval("one", { onStdout: (t) => streamed.push(t) }), s.eval("two")]);
    expect(a.stdout).toBe("ran one\n");
    expect(b.stdout).toBe("ran two\n");
    expect(streamed.join("")).toBe("ran one\n");
    await s.put("x", Float64Array.of(1, 2, 3));
    expect(await s.get("x")).toEqual(Float64Array.of(1, 2, 3));
    await expect(s.get("nope")).rejects.toThrow(BridgeError);
    await expect(s.get("nope")).rejects.toThrow(/object 'nope' not found/);
    await expect(s.put("1bad", 1)).rejects.toThrow(/not a usable variable name/);
  });

  it("a resync (a late interrupt landed while the server read a request): the token, then the request again, or interrupted when it was this call's", async () => {
    const fake = fakeInterpreter({ resyncOnInterrupt: true });
    const s = new StdioBridgeSession(IMPL, { transport: fake.starter });
    const r = await s.eval("lost");
    expect([r.stdout, fake.tokens()]).toEqual(["ran lost\n", 1]);
    const e = await s.eval("sleep", { timeoutMs: 50 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BridgeTimeoutError);
    expect((e as Error).message).toMatch(/timed out after 50 ms.*still usable \(variables kept\)$/);
    expect(fake.tokens()).toBe(2);
    expect((await s.eval("next")).stdout).toBe("ran next\n");
    await s.close();
  });

  it("a timeout interrupts and keeps the session when the interpreter comes back", async () => {
    const fake = fakeInterpreter();
    const s = new StdioBridgeSession(IMPL, { transport: fake.starter });
    const e = await s.eval("sleep", { timeoutMs: 50 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BridgeTimeoutError);
    expect((e as BridgeTimeoutError).restarted).toBe(false);
    expect((e as Error).message).toMatch(/timed out after 50 ms.*still usable/);
    expect((await s.eval("after")).restartNotice).toBeUndefined();
    expect(fake.starts()).toBe(1);
  });

  it("a timeout kills and restarts when the interpreter ignores the interrupt, and says so", async () => {
    const fake = fakeInterpreter({ ignoreInterrupt: true });
    const s = new StdioBridgeSession(IMPL, { transport: fake.starter, interruptGraceMs: 50 });
    const e = await s.eval("sleep", { timeoutMs: 50 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BridgeTimeoutError);
    expect((e as BridgeTimeoutError).restarted).toBe(true);
    const next = await s.eval("after");
    expect(next.restartNotice).toMatch(/restarted.*variables from before are gone/);
    expect(fake.starts()).toBe(2);
  });

  it("a crash rejects the call with the exit and the interpreter's last words, then restarts", async () => {
    const fake = fakeInterpreter();
    const s = new StdioBridgeSession(IMPL, { transport: fake.starter });
    const e = await s.eval("crash").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BridgeCrashError);
    expect((e as Error).message).toMatch(/crashed \(signal SIGSEGV\).*Segmentation fault.*fresh session/);
    expect((await s.eval("again")).stdout).toBe("ran again\n");
    expect(fake.starts()).toBe(2);
  });

  it("an aborted signal interrupts the call", async () => {
    const fake = fakeInterpreter();
    const s = new StdioBridgeSession(IMPL, { transport: fake.starter });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    await expect(s.eval("sleep", { signal: ac.signal })).rejects.toThrow(/interrupted/);
  });

  it("a missing interpreter is one line naming what to install", async () => {
    const s = new StdioBridgeSession({ ...IMPL, executable: "no-such-interpreter-xyz", notInstalled: "R is not installed (no Rscript on PATH): install r-base-core" });
    const e = await s.eval("1").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BridgeNotInstalledError);
    expect((e as Error).message.split("\n")).toHaveLength(1);
    expect(s.isAvailable()).toBe(false);
  });
});

describe("the real process transport", () => {
  it("a process writing garbage on the frame FIFO fails the session cleanly instead of throwing into the kernel", async () => {
    const impl: SessionImpl = {
      language: "R",
      executable: "sh",
      notInstalled: "sh missing",
      spec: (exe) => ({ file: exe, args: ["-c", "printf '\\003\\000\\000\\000{x}' > \"$1\"; sleep 5", "sh", "{fifo}"] }),
    };
    const s = new StdioBridgeSession(impl, { startTimeoutMs: 10_000 });
    const e = await s.start().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BridgeCrashError);
    expect((e as Error).message).toMatch(/failed to start \(signal SIGKILL\).*header is not JSON/);
  });

  it("RSession and OctaveSession name what to install when their interpreter is missing", async () => {
    const { RSession } = await import("../../bridges/r/session.js");
    const { OctaveSession } = await import("../../bridges/octave/session.js");
    const r = await new RSession({ executable: "/nonexistent/Rscript" }).eval("1").catch((x: unknown) => x);
    expect((r as Error).message).toBe("R is not installed (no Rscript on PATH): install the Debian packages r-base-core and r-cran-jsonlite (bash scripts/setup does)");
    const o = await new OctaveSession({ executable: "/nonexistent/octave-cli" }).eval("1").catch((x: unknown) => x);
    expect(o).toBeInstanceOf(BridgeNotInstalledError);
    expect((o as Error).message).toMatch(/^Octave is not installed .*Debian package octave.*scripts\/setup/);
  });
});
