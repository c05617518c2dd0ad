/**
 * The fuzz property over the engine's JavaScript API (fast-check): random sequences of submit,
 * cancel, modify, submitBatch and queries whose arguments mix valid values, junk of every type,
 * throwing getters, getters valid once then throwing, proxies and buffers detached or shrunk by a
 * getter mid-call. After every call: it either returned, with the book's invariants intact (never
 * crossed, checksum = the checksum recomputed from the snapshot), or threw an Error — the
 * injected one, or a TypeError/RangeError/Error from the engine that names its method — and the
 * book is exactly as before. Shared by test/native/fuzz.test.ts (a few seconds, in npm test) and
 * bench/engine/fuzz-long.ts (minutes, against the ASan+UBSan build of the addon).
 */
import fc from "fast-check";
import { BATCH_OP, OrderBook, bookChecksumTerm } from "../../native/ts/index.js";

const TICK = 0.01;
/** ES2024's resizable ArrayBuffer (Node ≥ 20), typed here because the project's lib is older. */
const ResizableArrayBuffer = ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer & { resize(n: number): void };
class Injected extends Error {}

const specials = [Number.NaN, Infinity, -Infinity, -0, 0, -1, 0.5, 1.5, 2 ** 53, 2 ** 53 - 1, 2 ** 64, 1e300, -1e300, 1e-300];
const junk = fc.oneof(fc.constantFrom<unknown>(...specials), fc.anything(), fc.string({ maxLength: 4 }), fc.constantFrom("buy", "sell", "market", "ioc", "fok"));
const id = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 40 }) }, { weight: 1, arbitrary: junk });
const price = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 995, max: 1005 }).map((t) => t / 100) }, { weight: 1, arbitrary: junk });
const qty = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 20 }) }, { weight: 1, arbitrary: fc.constantFrom(2 ** 53 - 1, 2 ** 52) }, { weight: 1, arbitrary: junk });
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 3 });

/** A field's hostility: plain, throwing getter, or a getter valid once then throwing. */
type Trap = "plain" | "throw" | "flaky";
const trap = fc.constantFrom<Trap>("plain", "plain", "plain", "plain", "plain", "plain", "throw", "flaky");

function hostile(fields: Record<string, unknown>, traps: Record<string, Trap>, asProxy: boolean): object {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    const t = traps[k] ?? "plain";
    if (t === "plain") o[k] = v;
    else {
      let reads = 0;
      Object.defineProperty(o, k, {
        enumerable: true,
        get() {
          if (t === "throw" || reads++ > 0) throw new Injected(`getter ${k}`);
          return v;
        },
      });
    }
  }
  return asProxy ? new Proxy(o, {}) : o;
}

const cleanOrder = fc.record({
  id: fc.integer({ min: 1, max: 40 }),
  side: fc.constantFrom("buy", "sell"),
  price: fc.integer({ min: 995, max: 1005 }).map((t) => t / 100),
  quantity: fc.integer({ min: 1, max: 20 }),
  timeInForce: maybe(fc.constantFrom("gtc", "ioc", "fok")),
});
const hostileOrder = fc
  .record({
    fields: fc.record({ id, side: fc.oneof(fc.constantFrom("buy", "sell"), junk), price: maybe(price), quantity: qty, type: maybe(fc.constantFrom("limit", "market")), timeInForce: maybe(fc.constantFrom("gtc", "ioc", "fok")), postOnly: maybe(fc.boolean()), timestamp: maybe(fc.oneof(fc.integer(), junk)) }),
    traps: fc.dictionary(fc.constantFrom("id", "side", "price", "quantity", "type", "timestamp"), trap),
    proxy: fc.boolean(),
  })
  .map(({ fields, traps, proxy }) => hostile(fields, traps, proxy));
const order = fc.oneof({ weight: 3, arbitrary: cleanOrder as fc.Arbitrary<object> }, { weight: 2, arbitrary: hostileOrder });

const change = fc
  .record({ fields: fc.record({ quantity: maybe(qty), price: maybe(price), timestamp: maybe(fc.oneof(fc.integer(), junk)) }), traps: fc.dictionary(fc.constantFrom("quantity", "price", "timestamp"), trap) })
  .map(({ fields, traps }) => hostile(fields, traps, false));

type Sabotage = "none" | "detach" | "shrink" | "wrongType" | "wrongLength";
const batch = fc.record({
  n: fc.integer({ min: 0, max: 12 }),
  rows: fc.array(fc.record({ type: fc.integer({ min: 0, max: 9 }), id: fc.integer({ min: 1, max: 40 }), side: fc.integer({ min: 0, max: 2 }), price: fc.oneof(fc.integer({ min: 995, max: 1005 }).map((t) => t / 100), fc.constantFrom(...specials)), quantity: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.constantFrom(...specials)) }), { minLength: 12, maxLength: 12 }),
  sabotage: fc.constantFrom<Sabotage>("none", "none", "none", "none", "none", "none", "detach", "shrink", "wrongType", "wrongLength"),
  column: fc.constantFrom("type", "id", "side", "price", "quantity"),
  traps: fc.oneof(fc.constant({}), fc.dictionary(fc.constantFrom("type", "id", "price", "checksums"), trap)),
  checksums: fc.oneof({ weight: 6, arbitrary: fc.boolean() }, { weight: 1, arbitrary: junk }),
});

type BatchSpec = typeof batch extends fc.Arbitrary<infer T> ? T : never;

function batchArgs(b: BatchSpec): [object, object] {
  const { n, rows } = b;
  const rab = new ResizableArrayBuffer(8 * n, { maxByteLength: 8 * n + 8 });
  const cols: Record<string, ArrayBufferView> = {
    type: Uint8Array.from(rows.slice(0, n), (r) => r.type),
    id: b.sabotage === "shrink" ? new Float64Array(rab).map((_, i) => rows[i]!.id) : Float64Array.from(rows.slice(0, n), (r) => r.id),
    side: Uint8Array.from(rows.slice(0, n), (r) => r.side),
    price: Float64Array.from(rows.slice(0, n), (r) => r.price),
    quantity: Float64Array.from(rows.slice(0, n), (r) => r.quantity),
  };
  if (b.sabotage === "wrongType") cols[b.column] = new Float32Array(n);
  if (b.sabotage === "wrongLength") cols[b.column] = new (cols[b.column]!.constructor as Float64ArrayConstructor)(n + 1);
  const victim = cols[b.sabotage === "shrink" ? "id" : b.column]!;
  const fields: Record<string, unknown> = { ...cols };
  const ops = hostile(fields, b.traps, false);
  if (b.sabotage === "detach" || b.sabotage === "shrink") {
    // the last property the addon reads detaches or shrinks a column it read earlier
    Object.defineProperty(ops, "timestamp", {
      enumerable: true,
      get() {
        if (b.sabotage === "detach" && victim.buffer.byteLength > 0) (structuredClone as (v: unknown, o: { transfer: ArrayBuffer[] }) => unknown)(victim.buffer, { transfer: [victim.buffer as ArrayBuffer] });
        else if (b.sabotage === "shrink" && n > 0) rab.resize(8 * (n - 1));
        return undefined;
      },
    });
  }
  const traps: Record<string, Trap> = b.traps;
  return [ops, hostile({ checksums: b.checksums }, traps.checksums ? { checksums: traps.checksums } : {}, false)];
}

export const command = fc.oneof(
  { weight: 5, arbitrary: order.map((o) => ({ kind: "submit" as const, o })) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("cancel" as const), id, ts: maybe(fc.oneof(fc.integer(), junk)) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("modify" as const), id, change }) },
  { weight: 2, arbitrary: batch.map((b) => ({ kind: "batch" as const, b })) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("query" as const), which: fc.integer({ min: 0, max: 4 }), arg: fc.oneof(id, junk) }) },
);
export type Command = typeof command extends fc.Arbitrary<infer T> ? T : never;

function state(b: OrderBook): string {
  const s = b.snapshot();
  return `${b.orderCount}|${b.checksum()}|${s.id.join()}|${s.open.join()}|${s.price.join()}`;
}

/** The book's invariants: never crossed; the checksum recomputed from the snapshot matches. */
function checkInvariants(b: OrderBook): void {
  const bid = b.bestBid(), ask = b.bestAsk();
  if (bid && ask && !(bid.price < ask.price)) throw new Error(`crossed book: bid ${bid.price} ≥ ask ${ask.price}`);
  const s = b.snapshot();
  if (s.id.length !== b.orderCount) throw new Error(`snapshot has ${s.id.length} orders, orderCount ${b.orderCount}`);
  let sum = 0;
  for (let k = 0, rank = 0; k < s.id.length; k++) {
    rank = k > 0 && s.side[k] === s.side[k - 1] && s.price[k] === s.price[k - 1] ? rank + 1 : 0;
    sum = (sum + bookChecksumTerm(s.id[k]!, s.side[k] as 0 | 1, Math.round(s.price[k]! / TICK), s.open[k]!, rank)) >>> 0;
  }
  if (sum !== b.checksum()) throw new Error(`checksum ${b.checksum()} != recomputed ${sum}`);
}

function run(b: OrderBook, c: Command): void {
  if (c.kind === "submit") b.submit(c.o as never);
  else if (c.kind === "cancel") b.cancel(c.id as never, c.ts as never);
  else if (c.kind === "modify") b.modify(c.id as never, c.change as never);
  else if (c.kind === "batch") {
    const [ops, options] = batchArgs(c.b);
    b.submitBatch(ops as never, options as never);
  } else if (c.which === 0) b.depth(c.arg as never);
  else if (c.which === 1) b.queuePosition(c.arg as never);
  else if (c.which === 2) b.orderState(c.arg as never);
  else if (c.which === 3) b.bestBid();
  else b.checksum();
}

/** Outcomes seen so far (what the fuzzer reached): calls that returned and calls that threw. */
export const tally = { returned: 0, threw: 0, resting: 0 };

/** Applies the commands to a fresh book, checking after each; throws on the first violation. */
export function checkSequence(commands: readonly Command[]): void {
  const b = new OrderBook({ tickSize: TICK, expectedOrders: 4 });
  for (const c of commands) {
    const before = state(b);
    try {
      run(b, c);
    } catch (e) {
      const ok = e instanceof Injected || (e instanceof Error && /^OrderBook\.\w+|revoked|Cannot convert|Cannot perform/.test(e.message));
      if (!ok) throw new Error(`${c.kind}: unexpected error ${String(e)}`);
      if (state(b) !== before) throw new Error(`${c.kind} threw (${(e as Error).message}) but changed the book`);
      tally.threw++;
      checkInvariants(b);
      continue;
    }
    tally.returned++;
    checkInvariants(b);
  }
  tally.resting += b.orderCount;
  b.dispose();
}

export const sequences = fc.array(command, { minLength: 1, maxLength: 60 });
export { BATCH_OP };
