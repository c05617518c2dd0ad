/**
 * The kernel process: `node dist/kernel/main.js -f CONNECTION_FILE` (what the kernelspec runs).
 * Cells run on this (main) thread; the zeromq sockets live on an I/O thread (io/io-worker.ts).
 * Only light modules load before the first kernel_info_reply; TypeScript loads right after.
 */
import { readFileSync } from "node:fs";
import process from "node:process";
import { SharedState } from "./io/shared-state.js";
import { WorkerTransport } from "./io/worker-transport.js";
import { Kernel } from "./kernel.js";
import type { ConnectionInfo } from "./transport.js";
import { kernelLog } from "./log.js";
import { TypeScriptImpl } from "./typescript/typescript-impl.js";
import { Signer } from "./wire.js";

// Cells cannot call process.exit (the language replaces it); the kernel itself still can.
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
  const signer = new Signer(info.key ?? "", info.signature_scheme ?? "hmac-sha256");
  const state = new SharedState();
  const transport = await WorkerTransport.start(info, state);
  const impl = new TypeScriptImpl({ phases: state });
  const kernel = new Kernel({
    transport,
    signer,
    impl,
    input: transport,
    log: (line) => kernelLog(line),
    onShutdown: () => exit(0),
  });
  transport.onLost((why) => {
    kernelLog(`${why}; exiting so that the front end can restart the kernel`);
    exit(1);
  });
  process.on("SIGINT", () => kernel.interruptFromSignal());
  process.on("SIGTERM", () => void kernel.stop().finally(() => exit(0)));
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
