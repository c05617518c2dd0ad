//! Replays one of statarb's stream files (bench/engine/engine_bench.cc dump-mix / dump-insert)
//! through an order book from crates.io and prints one JSON line, like engine_bench does:
//!   statarb-engine-peers orderbook-rs|lobster insert|mix FILE
//! The warm-up prefix of a mix stream is replayed untimed; the rest is timed (wall and thread CPU).
use std::io::Read;
use std::time::Instant;

#[derive(Clone, Copy)]
struct Op {
    kind: u8, // 0 GTC, 1 IOC, 2 cancel, 3 move
    side: u8, // 0 buy, 1 sell
    id: u32,
    price: i32,
    qty: i32,
}

fn read_stream(path: &str) -> (Vec<Op>, usize) {
    let mut bytes = Vec::new();
    std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes)).expect("stream file");
    assert_eq!(&bytes[0..8], b"SBOS0001", "not a stream file");
    let n = u64::from_le_bytes(bytes[8..16].try_into().unwrap()) as usize;
    let warm = u64::from_le_bytes(bytes[16..24].try_into().unwrap()) as usize;
    let ops = (0..n)
        .map(|i| {
            let r = &bytes[24 + 16 * i..40 + 16 * i];
            Op {
                kind: r[0],
                side: r[1],
                id: u32::from_le_bytes(r[4..8].try_into().unwrap()),
                price: i32::from_le_bytes(r[8..12].try_into().unwrap()),
                qty: i32::from_le_bytes(r[12..16].try_into().unwrap()),
            }
        })
        .collect();
    (ops, warm)
}

fn thread_cpu() -> f64 {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 + 1e-9 * t.tv_nsec as f64
}

trait Book {
    fn apply(&mut self, op: &Op);
}

/// orderbook-rs (joaquinbejar/OrderBook-rs): limit orders with time in force, cancel, price update.
struct OrderbookRs(orderbook_rs::OrderBook<()>);
impl Book for OrderbookRs {
    fn apply(&mut self, op: &Op) {
        use orderbook_rs::prelude::*;
        use pricelevel::{OrderUpdate, Price};
        let id = Id::from_u64(op.id as u64);
        let side = if op.side == 0 { Side::Buy } else { Side::Sell };
        let _ = match op.kind {
            0 | 1 => self
                .0
                .add_limit_order(id, op.price as u128, op.qty as u64, side, if op.kind == 0 { TimeInForce::Gtc } else { TimeInForce::Ioc }, None)
                .map(|_| ()),
            2 => self.0.cancel_order(id).map(|_| ()),
            _ => self.0.update_order(OrderUpdate::UpdatePrice { order_id: id, new_price: Price::new(op.price as u128) }).map(|_| ()),
        };
    }
}

/// lobster (rubik/lobster): limit, market and cancel only, so an IOC is a limit order followed by
/// a cancel of whatever rested, and a move is a cancel followed by a new limit order (as statarb's
/// modify does: a price change loses time priority).
struct Lobster(lobster::OrderBook);
impl Book for Lobster {
    fn apply(&mut self, op: &Op) {
        use lobster::{OrderType, Side};
        let side = if op.side == 0 { Side::Bid } else { Side::Ask };
        let limit = OrderType::Limit { id: op.id as u128, side, qty: op.qty as u64, price: op.price as u64 };
        match op.kind {
            0 => {
                self.0.execute(limit);
            }
            1 => {
                self.0.execute(limit);
                self.0.execute(OrderType::Cancel { id: op.id as u128 });
            }
            2 => {
                self.0.execute(OrderType::Cancel { id: op.id as u128 });
            }
            _ => {
                self.0.execute(OrderType::Cancel { id: op.id as u128 });
                self.0.execute(limit);
            }
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: statarb-engine-peers orderbook-rs|lobster insert|mix FILE");
        std::process::exit(2);
    }
    let (peer, mode, path) = (args[1].as_str(), args[2].as_str(), args[3].as_str());
    let (ops, warm) = read_stream(path);
    let mut book: Box<dyn Book> = match peer {
        "orderbook-rs" => Box::new(OrderbookRs(orderbook_rs::OrderBook::new("BENCH"))),
        "lobster" => Box::new(Lobster(lobster::OrderBook::new(1 << 10, 1 << 10, false))),
        _ => panic!("unknown peer {peer}"),
    };
    for op in &ops[..warm] {
        book.apply(op);
    }
    let (c0, t0) = (thread_cpu(), Instant::now());
    for op in &ops[warm..] {
        book.apply(op);
    }
    let (secs, cpu) = (t0.elapsed().as_secs_f64(), thread_cpu() - c0);
    let n = (ops.len() - warm) as f64;
    println!(
        "{{\"mode\":\"peer\",\"peer\":\"{peer}\",\"stream\":\"{mode}\",\"ops\":{},\"opsPerSec\":{:.0},\"opsPerCpuSec\":{:.0}}}",
        ops.len() - warm,
        n / secs,
        n / cpu
    );
}
