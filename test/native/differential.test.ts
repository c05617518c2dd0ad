/**
 * Randomized differential test: ≥ 1 M seeded operations through the C++ engine's batch path and
 * through ReferenceBook; identical status and fills for every operation, identical book digest
 * after every operation (every resting order's id, side, price, open quantity and place in its
 * queue), identical full L3 snapshot after every chunk of 10,000.
 */
import { describe, expect, it } from "vitest";
import { BATCH_OP, OrderBook, isEngineBuilt } from "../../native/ts/index.js";
import { ReferenceBook } from "./reference-book.js";

const TICK = 0.01;
const TOTAL = 1_000_000;
const CHUNK = 10_000;

/** xorshift32: small, seeded, deterministic. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

describe.skipIf(!isEngineBuilt())("native engine vs reference book (differential)", () => {
  it(`agrees on ${TOTAL} random operations`, () => {
    const book = new OrderBook({ tickSize: TICK });
    const ref = new ReferenceBook();
    const r = rng(20261124);
    let nextId = 1;
    const ops = {
      type: new Uint8Array(CHUNK),
      id: new Float64Array(CHUNK),
      side: new Uint8Array(CHUNK),
      price: new Float64Array(CHUNK),
      quantity: new Float64Array(CHUNK),
    };
    const priceTicks = new Float64Array(CHUNK);
    let fillsSeen = 0;
    for (let done = 0; done < TOTAL; done += CHUNK) {
      // generate a chunk against the reference's current live ids (stale ids test unknown-id paths)
      const live = ref.snapshot().map((o) => o.id);
      for (let i = 0; i < CHUNK; i++) {
        const u = r();
        const crowded = live.length > 300;
        let type: number;
        if (u < (crowded ? 0.3 : 0.15)) type = BATCH_OP.cancel;
        else if (u < 0.35) type = BATCH_OP.modify;
        else if (u < 0.75) type = BATCH_OP.limit;
        else if (u < 0.83) type = BATCH_OP.ioc;
        else if (u < 0.87) type = BATCH_OP.fok;
        else if (u < 0.93) type = BATCH_OP.postOnly;
        else if (u < 0.97) type = BATCH_OP.market;
        else if (u < 0.985) type = BATCH_OP.marketFok;
        else type = -1; // a malformed row, filled in below
        const side = r() < 0.5 ? 0 : 1;
        // mostly a 60-tick band; 0.5 % far away (±3,000–20,000 ticks) so the price ladder grows,
        // re-centres and its bitmap is searched across many words
        let ticks = 10_000 + Math.floor(r() * 60) - 30;
        if (r() < 0.005) ticks = 10_000 + (r() < 0.5 ? -1 : 1) * (3_000 + Math.floor(r() * 17_000));
        let qty = 1 + Math.floor(r() * 100);
        let id: number;
        if (type === BATCH_OP.cancel || type === BATCH_OP.modify) {
          id = live.length > 0 && r() < 0.95 ? live[Math.floor(r() * live.length)]! : nextId + 1_000_000;
          if (type === BATCH_OP.modify && r() < 0.5) ticks = Number.NaN; // keep price
        } else {
          id = r() < 0.01 && live.length > 0 ? live[0]! : nextId++; // some duplicate ids
          live.push(id);
        }
        if (type === -1) {
          // malformed rows: bad quantity, bad side or bad type, never a crash
          const k = Math.floor(r() * 4);
          type = k === 0 ? 9 : BATCH_OP.limit;
          if (k === 1) qty = Number.NaN;
          if (k === 2) qty = -5;
          if (k === 3) qty = 1.5;
        }
        ops.type[i] = type;
        ops.id[i] = id;
        ops.side[i] = side;
        priceTicks[i] = ticks;
        ops.price[i] = Number.isNaN(ticks) ? Number.NaN : ticks * TICK;
        ops.quantity[i] = qty;
      }
      const res = book.submitBatch(ops, { checksums: true });
      let f = 0;
      for (let i = 0; i < CHUNK; i++) {
        const status = ref.apply(ops.type[i]!, ops.id[i]!, ops.side[i]!, priceTicks[i]!, ops.quantity[i]!);
        if (status !== res.status[i]) expect.fail(`op ${done + i}: status native ${res.status[i]} vs reference ${status}`);
        for (const rf of ref.fills) {
          const ok =
            res.fillOp[f] === i &&
            res.taker[f] === rf.taker &&
            res.maker[f] === rf.maker &&
            Math.round(res.price[f]! / TICK) === rf.price &&
            res.quantity[f] === rf.quantity;
          if (!ok) expect.fail(`op ${done + i}: fill ${JSON.stringify(rf)} differs from native #${f}`);
          f++;
        }
        if (res.fillOp[f] === i) expect.fail(`op ${done + i}: native has extra fills`);
        const sum = ref.checksum();
        if (sum !== res.checksum![i]) expect.fail(`op ${done + i}: book checksum native ${res.checksum![i]} vs reference ${sum}`);
      }
      expect(f).toBe(res.fillOp.length);
      fillsSeen += f;
      const snap = book.snapshot();
      const rs = ref.snapshot();
      expect(snap.id.length).toBe(rs.length);
      for (let k = 0; k < rs.length; k++) {
        const o = rs[k]!;
        if (snap.id[k] !== o.id || snap.side[k] !== o.side || Math.round(snap.price[k]! / TICK) !== o.price || snap.open[k] !== o.open || snap.quantity[k] !== o.quantity)
          expect.fail(`after op ${done + CHUNK}: snapshot row ${k} differs (id ${snap.id[k]} vs ${o.id})`);
      }
    }
    expect(fillsSeen).toBeGreaterThan(100_000);
  });
});
