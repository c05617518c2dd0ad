/**
 * The kernel process: `node dist/kernel/main.js -f CONNECTION_FILE` (what the kernelspec runs). It
 * keeps the zeromq sockets and the protocol on its main thread and runs cells in the engine process
 * (kernel/executor), which it starts and restarts; see kernel/README.md "Processes and threads".
 */
import { readFileSync } from "node:fs";
import process from "node:process";
import { ExecutorClient } from "./executor/client.js";
import { outputLimitBytes } from "./limits.js";
import { kernelLog } from "./log.js";
import type { ConnectionInfo } from "./transport.js";

const exit: (code?: number) => never = process.exit.bind(process);

export function connectionFileFromArgs(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "-f" || a === "--connection-file" || a === "--f") return argv[i + 1];
    if (a.startsWith("--connection-file=")) return a.slice("--connection-file=".length);
    if (a.startsWith("--f=")) return a.slice(4);
  }
  return argv.find((a) => a.endsWith(".json"));
}

export async function runKernel(connectionFile: string): Promise<void> {
  let info: ConnectionInfo;
  try {
    info = JSON.parse(readFileSync(connectionFile, "utf8")) as ConnectionInfo;
  } catch (err) {
    throw new Error(`cannot read the connection file ${connectionFile}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const maxOutputBytes = outputLimitBytes();
  // the engine process starts first: it boots while this process loads the protocol and zeromq and binds
  const impl = new ExecutorClient({ maxOutputBytes });
  impl.start();
  const [{ randomUUID }, { Kernel }, { ZmqTransport }, { encode, newHeader, Signer }] = await Promise.all([import("node:crypto"), import("./kernel.js"), import("./transport.js"), import("./wire.js")]);
  const signer = new Signer(info.key ?? "", info.signature_scheme ?? "hmac-sha256");
  const transport = await ZmqTransport.bind(info);
  const session = randomUUID();
  transport.greetSubscribers((topic) => encode(signer, [topic.length > 0 ? topic : Buffer.from("kernel.iopub_welcome")], newHeader("iopub_welcome", session), {}, { subscription: topic.toString("utf8") }));
  // STATARB_KERNEL_WARMUP=0 (batch runs, e.g. the sweep's): no warm-up, which costs ~2 CPU-s a kernel that
  // nobody completes in; a completion or magic still loads what it needs on first use
  const warmUp = process.env.STATARB_KERNEL_WARMUP !== "0";
  const kernel = new Kernel({ transport, signer, impl, maxOutputBytes, warmUp, log: (line) => kernelLog(line), onShutdown: () => exit(0) });
  process.on("SIGINT", () => kernel.interruptFromSignal());
  process.on("SIGTERM", () => void impl.shutdown(false).finally(() => void kernel.stop().finally(() => exit(0))));
  kernel.start();
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const file = connectionFileFromArgs(process.argv.slice(2));
  if (!file) {
    kernelLog("usage: node dist/kernel/main.js -f CONNECTION_FILE");
    exit(2);
  }
  runKernel(file).catch((err: unknown) => {
    kernelLog(err instanceof Error ? err.message : String(err));
    exit(1);
  });
}
