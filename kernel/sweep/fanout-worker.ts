/**
 * The Node side of a Ray fan-out task (statarb_sweep/fanout.py): reads `{ module, export, calls }` on
 * stdin, imports `module` (a .js file, or a .ts file through tsx), awaits `export(...args)` for each call
 * in turn and prints the encoded results as one JSON array. Run as
 * `node [--import tsx] dist/kernel/sweep/fanout-worker.js`.
 */
import { pathToFileURL } from "node:url";
import { decodeValue, encodeValue } from "./codec.js";

interface Job {
  module: string;
  export: string;
  calls: unknown[][];
}

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const job = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Job;
  const mod = (await import(pathToFileURL(job.module).href)) as Record<string, unknown>;
  const fn = mod[job.export];
  if (typeof fn !== "function") throw new TypeError(`${job.module} has no exported function ${job.export}`);
  const out: unknown[] = [];
  for (const args of job.calls) out.push(encodeValue(await (fn as (...a: unknown[]) => unknown)(...(decodeValue(args) as unknown[]))));
  process.stdout.write(JSON.stringify(out));
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
