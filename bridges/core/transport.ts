/**
 * How a session talks to its interpreter process. `BridgeTransport` is the seam (a test double can
 * stand in for it); `startProcessTransport` is the real one: the interpreter spawned with execa, requests
 * written to a FIFO (its stdin is /dev/null), responses read from another FIFO (user output on
 * stdout/stderr cannot corrupt them, user code cannot read the requests).
 *
 * Why a FIFO and not fd 3: Node gives a child's extra stdio a socketpair, which R's `file()` and Octave's
 * `fopen()` cannot open by path (/dev/fd/3 is ENXIO for sockets); a named pipe opens like a file in both.
 */
import { execa, type ResultPromise } from "execa";
import { execFileSync } from "node:child_process";
import { accessSync, constants, mkdtempSync, openSync, rmSync, statSync } from "node:fs";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Frame, FrameDecoder } from "./frame.js";

/** What a transport reports to its session. */
export interface TransportEvents {
  onFrame(frame: Frame): void;
  onStdout(text: string): void;
  onStderr(text: string): void;
  onExit(code: number | null, signal: string | null): void;
}

/** A live connection to one interpreter process. */
export interface BridgeTransport {
  /** Writes the chunks of one request, in order. */
  write(chunks: readonly Uint8Array[]): void;
  /** Asks the interpreter to stop the running call (SIGINT). */
  interrupt(): void;
  /** Ends the process now and releases the FIFO. */
  kill(): void;
  /** The process id (for messages and tests). */
  readonly pid: number | undefined;
}

/** How to start one interpreter. */
export interface ProcessSpec {
  file: string;
  /** Arguments; `{fifo}` / `{requests}` in any of them are replaced by the FIFOs' paths. */
  args: readonly string[];
  env?: Record<string, string>;
  cwd?: string;
  /**
   * Requests go to a second FIFO (`{requests}` in the arguments) and the interpreter's stdin is
   * /dev/null, so user code that reads stdin sees end of file at once instead of protocol bytes.
   */
  requestFifo?: boolean;
}

/** Spawns `spec` and wires its FIFO, stdout and stderr to `events`. */
export function startProcessTransport(spec: ProcessSpec, events: TransportEvents): BridgeTransport {
  const dir = mkdtempSync(join(tmpdir(), "statarb-bridge-"));
  const fifo = join(dir, "frames");
  execFileSync("mkfifo", ["-m", "600", fifo]);
  // O_RDWR: opening never blocks and the read end never sees EOF while we hold it
  const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
  const frames = new Socket({ fd, readable: true, writable: false });
  const decoder = new FrameDecoder((f) => events.onFrame(f));
  let child: ResultPromise | undefined;
  frames.on("data", (chunk: Buffer) => {
    try {
      decoder.push(chunk);
    } catch (e) {
      // a corrupt frame: never throw into the event loop (it would take the kernel down); end the interpreter
      events.onStderr(`statarb bridge: ${(e as Error).message}\n`);
      child?.kill("SIGKILL");
    }
  });
  frames.on("error", () => undefined);
  const requests = spec.requestFifo ? openRequestFifo(join(dir, "requests")) : undefined;
  const sub = (s: string): string => s.split("{fifo}").join(fifo).split("{requests}").join(join(dir, "requests"));
  const proc: ResultPromise = execa(spec.file, spec.args.map(sub), {
    stdin: requests ? "ignore" : "pipe",
    stdout: "pipe",
    stderr: "pipe",
    buffer: false,
    reject: false,
    cleanup: true,
    extendEnv: true,
    env: spec.env ?? {},
    ...(spec.cwd ? { cwd: spec.cwd } : {}),
  });
  child = proc;
  let alive = true;
  const cleanup = (): void => {
    frames.destroy();
    requests?.destroy();
    rmSync(dir, { recursive: true, force: true });
  };
  proc.stdout?.setEncoding("utf8");
  proc.stderr?.setEncoding("utf8");
  proc.stdout?.on("data", (t: string) => events.onStdout(t));
  proc.stderr?.on("data", (t: string) => events.onStderr(t));
  proc.stdin?.on("error", () => undefined);
  proc.on("error", () => undefined);
  proc.on("exit", (code, signal) => {
    alive = false;
    // let the last frames and output drain before reporting the exit
    setTimeout(() => {
      cleanup();
      events.onExit(code, signal);
    }, 20);
  });
  return {
    pid: proc.pid,
    write(chunks) {
      if (!alive) return;
      const to = requests ?? proc.stdin;
      for (const c of chunks) to?.write(c);
    },
    interrupt() {
      if (alive) proc.kill("SIGINT");
    },
    kill() {
      if (alive) proc.kill("SIGKILL");
      alive = false;
    },
  };
}

/** A FIFO for requests, held open read-write (opening never blocks; the reader never sees EOF while we live). */
function openRequestFifo(path: string): Socket {
  execFileSync("mkfifo", ["-m", "600", path]);
  const sock = new Socket({ fd: openSync(path, constants.O_RDWR | constants.O_NONBLOCK), readable: false, writable: true });
  sock.on("error", () => undefined);
  return sock;
}

/** Whether `file` is an executable on PATH (or an existing path). */
export function findExecutable(file: string, pathEnv = process.env.PATH ?? ""): string | undefined {
  if (file.includes("/")) return isExecutable(file) ? file : undefined;
  for (const dir of pathEnv.split(":")) {
    if (!dir) continue;
    const p = join(dir, file);
    if (isExecutable(p)) return p;
  }
  return undefined;
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
