/**
 * QSession against a real kdb+ (q on PATH, $QHOME, or STATARB_Q=host:port); without one these report
 * "skipped: no q binary" and only the one-line message is checked.
 */
import { createServer, type Socket } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { BridgeNotInstalledError, BridgeTimeoutError } from "../../bridges/core/errors.js";
import { atom, decodeMessage, encodeMessage } from "../../bridges/q/ipc/index.js";
import { loadTicks, qAsofJoin, qVwap } from "../../bridges/q/queries.js";
import { hasKdb, Q_NOT_INSTALLED, QSession, qStoppedMessage } from "../../bridges/q/session.js";
import { Panel } from "../../lib/data/index.js";

const kdb = hasKdb();

describe.skipIf(kdb)("QSession without kdb+", () => {
  it("says in one line how to point it at a kdb+ install", async () => {
    const s = new QSession();
    const e = await s.eval("1+1").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BridgeNotInstalledError);
    expect((e as Error).message).toBe(Q_NOT_INSTALLED);
    expect(Q_NOT_INSTALLED.includes("\n")).toBe(false);
    expect(Q_NOT_INSTALLED).toMatch(/QHOME/);
  });
});

describe("q timeout and interrupt messages name the code (no kdb+ needed)", () => {
  it("builds the message from the watch's reason: the code, the limit, how to raise it, what happened to the session", () => {
    const reason = "call running `{while[1b;]}[]` timed out after 300 ms (raise the limit with the timeoutMs option of the call or the session (0 = none), or `--timeout ms` on the %%R / %%octave / %%q magic)";
    expect(qStoppedMessage(reason, "stopped")).toBe(`q: ${reason}; q stopped the query and the session is still usable (variables kept)`);
    expect(qStoppedMessage(reason, "dropped")).toBe(`q: ${reason}; the connection to the remote kdb+ was dropped (the next call reconnects; the query may still run there)`);
  });

  it("a remote kdb+ that never answers: the timeout names the cell's first line and how to raise the limit", async () => {
    // a kdb+ IPC peer that answers the session's setup and never answers the query that mentions "slow"
    const server = createServer((sock: Socket) => {
      let hand = true;
      sock.on("data", (d: Buffer) => {
        if (hand) {
          hand = false;
          sock.write(Buffer.from([3]));
          return;
        }
        if (!JSON.stringify(decodeMessage(new Uint8Array(d)).value, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v)).includes("slow")) sock.write(encodeMessage(atom(7, 1n), 2));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const s = new QSession({ host: "127.0.0.1", port: (server.address() as { port: number }).port });
    try {
      const e = await s.eval("slow: {x+1} each til 100000000\nslow", { timeoutMs: 200 }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(BridgeTimeoutError);
      expect((e as Error).message).toBe(
        "q: call running `slow: {x+1} each til 100000000` (first line) timed out after 200 ms (raise the limit with the timeoutMs option of the call or the session (0 = none), or `--timeout ms` on the %%R / %%octave / %%q magic); the connection to the remote kdb+ was dropped (the next call reconnects; the query may still run there)",
      );
      expect((e as BridgeTimeoutError).restarted).toBe(true);
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      await expect(s.eval("slow 2", { signal: ac.signal })).rejects.toThrow(/^q: call running `slow 2` interrupted; the connection to the remote kdb\+ was dropped/);
    } finally {
      await s.close();
      server.close();
    }
  });
});

describe.skipIf(!kdb)(kdb ? "QSession (live kdb+)" : "QSession (skipped: no q binary on PATH or under $QHOME, no STATARB_Q=host:port; kdb+ is not in any package registry)", () => {
  const s = new QSession();
  afterAll(() => s.close());

  it("evaluates q and returns the value and q's text", async () => {
    const r = await s.eval("til 3");
    expect(Array.from(r.value as Float64Array)).toEqual([0, 1, 2]);
    expect(r.text.trim()).toBe("0 1 2");
    await expect(s.eval("1+`a")).rejects.toThrow(/'type/);
  });

  it("a Panel goes in as a table and comes back exactly", async () => {
    const p = Panel.fromColumns(["2024-01-02", "2024-01-03"], { AAPL: [1.5, 2], MSFT: [Number.NaN, 4] });
    await s.put("px", p);
    expect((await s.eval("meta px")).text).toMatch(/date\s*\|\s*d/);
    const back = (await s.get("px")) as Panel;
    expect(back.toMatrix()).toEqual(p.toMatrix());
    expect(back.dates).toEqual(p.dates);
  });

  it("VWAP by symbol and bar and the as-of join match TypeScript", async () => {
    const base = BigInt(Date.UTC(2024, 0, 2, 14, 30)) * 1_000_000n;
    const min = 60_000_000_000n;
    const time = BigInt64Array.from([0n, 1n, 6n, 7n].map((m) => base + m * min));
    await loadTicks(
      s,
      { time, sym: ["A", "A", "A", "B"], price: Float64Array.of(10, 11, 12, 50), size: BigInt64Array.from([100n, 300n, 200n, 10n]), side: "BSBB" },
      { time: BigInt64Array.from([base - 1n, base + 5n * min, base]), sym: ["A", "A", "B"], bid: Float64Array.of(9.9, 11.9, 49.9), ask: Float64Array.of(10.1, 12.1, 50.1), bsize: BigInt64Array.from([1n, 1n, 1n]), asize: BigInt64Array.from([1n, 1n, 1n]) },
    );
    const v = await qVwap(s, 5);
    expect(v.sym).toEqual(["A", "A", "B"]);
    expect(Array.from(v.vwap as Float64Array)).toEqual([(10 * 100 + 11 * 300) / 400, 12, 50]);
    const aj = await qAsofJoin(s);
    expect(Array.from(aj.bid as Float64Array)).toEqual([9.9, 9.9, 11.9, 49.9]);
  });

  it("a timeout names the code, q answers the interrupt with 'stop and keeps its variables", async () => {
    await s.eval("kept:42");
    const e = await s.eval("{while[1b;]}[]", { timeoutMs: 300 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BridgeTimeoutError);
    expect((e as Error).message).toMatch(/^q: call running `\{while\[1b;\]\}\[\]` timed out after 300 ms \(raise the limit .*--timeout ms.*\); q stopped the query and the session is still usable \(variables kept\)$/);
    expect((await s.eval("kept")).value).toBe(42);
  });

  it("feeds.q publishes upd messages to a subscriber", async () => {
    await s.load("feeds.q");
    const got: { table: string; rows: unknown }[] = [];
    await s.subscribe("trade", [], (table, rows) => got.push({ table, rows }));
    await s.eval(".statarb.feed.batch 5");
    for (let i = 0; i < 50 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(got[0]?.table).toBe("trade");
    expect(((got[0]?.rows as Record<string, unknown>).sym as string[]).length).toBe(5);
  });
});
