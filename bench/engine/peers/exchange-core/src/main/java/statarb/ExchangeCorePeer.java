package statarb;

import exchange.core2.collections.objpool.ObjectsPool;
import exchange.core2.core.common.CoreSymbolSpecification;
import exchange.core2.core.common.MatcherTradeEvent;
import exchange.core2.core.common.OrderAction;
import exchange.core2.core.common.OrderType;
import exchange.core2.core.common.SymbolType;
import exchange.core2.core.common.cmd.CommandResultCode;
import exchange.core2.core.common.cmd.OrderCommand;
import exchange.core2.core.common.cmd.OrderCommandType;
import exchange.core2.core.common.config.LoggingConfiguration;
import exchange.core2.core.orderbook.IOrderBook;
import exchange.core2.core.orderbook.OrderBookDirectImpl;
import exchange.core2.core.orderbook.OrderBookEventsHelper;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * Replays one of statarb's stream files (bench/engine/engine_bench.cc dump-mix / dump-insert)
 * through exchange-core's fastest order book, OrderBookDirectImpl, driven directly (no disruptor
 * pipeline, no risk engine: the same single-book work statarb's benchmark measures), and prints
 * one JSON line. Trade events are recycled through a pool after every command, as exchange-core's
 * own pipeline does, so the run is not a garbage-collector benchmark. The JIT is warmed by
 * WARM_REPLAYS (default 2) untimed replays into fresh books before the timed one.
 *   java -cp ... statarb.ExchangeCorePeer insert|mix FILE
 */
public final class ExchangeCorePeer {
  private static final class Ops {
    byte[] kind, side;
    long[] id, price, qty;
    int n, warm;
  }

  static Ops read(Path path) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[8];
    b.get(magic);
    if (!new String(magic).equals("SBOS0001")) throw new IOException(path + " is not a stream file");
    Ops o = new Ops();
    o.n = (int) b.getLong();
    o.warm = (int) b.getLong();
    o.kind = new byte[o.n];
    o.side = new byte[o.n];
    o.id = new long[o.n];
    o.price = new long[o.n];
    o.qty = new long[o.n];
    for (int i = 0; i < o.n; i++) {
      o.kind[i] = b.get();
      o.side[i] = b.get();
      b.getShort();
      o.id[i] = Integer.toUnsignedLong(b.getInt());
      o.price[i] = b.getInt();
      o.qty[i] = b.getInt();
    }
    return o;
  }

  /** Recycles MatcherTradeEvents: the book takes them from here, the harness gives them back. */
  static final class EventPool {
    final ArrayDeque<MatcherTradeEvent> free = new ArrayDeque<>();
    MatcherTradeEvent take() {
      MatcherTradeEvent e = free.poll();
      return e != null ? e : new MatcherTradeEvent();
    }
    long trades;
    void giveBack(OrderCommand cmd) {
      for (MatcherTradeEvent e = cmd.matcherEvent; e != null; ) {
        if (e.eventType == exchange.core2.core.common.MatcherEventType.TRADE) trades++;
        MatcherTradeEvent next = e.nextEvent;
        e.nextEvent = null;
        free.push(e);
        e = next;
      }
      cmd.matcherEvent = null;
    }
  }

  static IOrderBook newBook(EventPool pool) {
    CoreSymbolSpecification spec = CoreSymbolSpecification.builder().symbolId(1).type(SymbolType.FUTURES_CONTRACT)
        .baseCurrency(0).quoteCurrency(1).baseScaleK(1).quoteScaleK(1).takerFee(0).makerFee(0).build();
    return new OrderBookDirectImpl(spec, ObjectsPool.createDefaultTestPool(), new OrderBookEventsHelper(pool::take), LoggingConfiguration.DEFAULT);
  }

  static void apply(IOrderBook book, OrderCommand cmd, Ops o, int i) {
    cmd.orderId = o.id[i];
    cmd.symbol = 1;
    cmd.uid = 1 + (o.id[i] & 1023);
    cmd.price = o.price[i];
    cmd.reserveBidPrice = o.price[i];
    cmd.size = o.qty[i];
    cmd.action = o.side[i] == 0 ? OrderAction.BID : OrderAction.ASK;
    cmd.timestamp = i;
    switch (o.kind[i]) {
      case 0 -> { cmd.command = OrderCommandType.PLACE_ORDER; cmd.orderType = OrderType.GTC; }
      case 1 -> { cmd.command = OrderCommandType.PLACE_ORDER; cmd.orderType = OrderType.IOC; }
      case 2 -> cmd.command = OrderCommandType.CANCEL_ORDER;
      default -> cmd.command = OrderCommandType.MOVE_ORDER;
    }
    cmd.resultCode = CommandResultCode.VALID_FOR_MATCHING_ENGINE; // what the risk engine sets before matching
    IOrderBook.processCommand(book, cmd);
  }

  static long lastTrades, lastResting;

  static double[] replay(Ops o) {
    EventPool pool = new EventPool();
    IOrderBook book = newBook(pool);
    OrderCommand cmd = new OrderCommand();
    for (int i = 0; i < o.warm; i++) {
      apply(book, cmd, o, i);
      pool.giveBack(cmd);
    }
    var bean = ManagementFactory.getThreadMXBean();
    // the process's CPU time too (every JVM thread: GC, JIT), as statarb's JavaScript rows count V8's helpers
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long p0 = os.getProcessCpuTime();
    long c0 = bean.getCurrentThreadCpuTime(), t0 = System.nanoTime();
    for (int i = o.warm; i < o.n; i++) {
      apply(book, cmd, o, i);
      pool.giveBack(cmd);
    }
    long t1 = System.nanoTime(), c1 = bean.getCurrentThreadCpuTime();
    long p1 = os.getProcessCpuTime();
    lastTrades = pool.trades;
    lastResting = book.getOrdersNum(OrderAction.BID) + book.getOrdersNum(OrderAction.ASK);
    return new double[] {(t1 - t0) / 1e9, (c1 - c0) / 1e9, (p1 - p0) / 1e9};
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: ExchangeCorePeer insert|mix FILE");
      System.exit(2);
    }
    Ops o = read(Path.of(args[1]));
    int warmReplays = Integer.parseInt(System.getenv().getOrDefault("WARM_REPLAYS", "2"));
    for (int r = 0; r < warmReplays; r++) replay(o);
    System.gc();
    double[] t = replay(o);
    double n = o.n - o.warm;
    System.out.printf("{\"mode\":\"peer\",\"peer\":\"exchange-core\",\"stream\":\"%s\",\"ops\":%d,\"opsPerSec\":%.0f,\"opsPerCpuSec\":%.0f,\"opsPerProcessCpuSec\":%.0f,\"warmReplays\":%d,\"fills\":%d,\"restingAtEnd\":%d}%n",
        args[0], o.n - o.warm, n / t[0], n / t[1], n / t[2], warmReplays, lastTrades, lastResting);
  }
}
