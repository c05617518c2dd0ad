#!/usr/bin/env node
// statarb command line: `statarb kernel install [--user | --sys-prefix | --prefix DIR] [--name NAME]`,
// `statarb kernel run -f CONNECTION_FILE`, `statarb kernel spec`, `statarb sweep NOTEBOOK -p NAME=V1,V2 …`
// (papermill runs fanned out on Ray, tracked in MLflow; kernel/sweep/). Runs the compiled code in dist/.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist", "kernel");

const USAGE = `usage:
  statarb kernel install [--user | --sys-prefix | --prefix DIR] [--name NAME]
  statarb kernel run -f CONNECTION_FILE
  statarb kernel spec
  statarb sweep NOTEBOOK -p NAME=V1,V2,… [-p …] [--grid FILE] [--workers N] [--address ADDR]
                [--experiment NAME] [--tracking-uri URI] [--out DIR] [--retries K]   (statarb sweep --help)
  statarb reproduce avellaneda-lee [--out DIR]`;

function fail(message) {
  process.stderr.write(`statarb: ${message}\n`);
  process.exit(2);
}

async function load(module) {
  const file = join(dist, module);
  if (!existsSync(file)) fail(`${file} is missing: build the kernel first with  npx tsc -p tsconfig.build.json`);
  return import(pathToFileURL(file).href);
}

async function kernel(args) {
  const [sub, ...rest] = args;
  if (sub === "install") {
    let target = { kind: "user" };
    let name = "statarb";
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i];
      if (a === "--user") target = { kind: "user" };
      else if (a === "--sys-prefix") target = { kind: "sys-prefix" };
      else if (a === "--prefix") {
        const dir = rest[++i];
        if (!dir) fail("--prefix needs a directory");
        target = { kind: "prefix", dir };
      } else if (a.startsWith("--prefix=")) target = { kind: "prefix", dir: a.slice(9) };
      else if (a === "--name") {
        name = rest[++i] ?? fail("--name needs a value");
      } else fail(`unknown option ${a}\n${USAGE}`);
    }
    const { installKernelSpec, kernelSpec } = await load("kernelspec.js");
    const dir = installKernelSpec(target, kernelSpec(join(dist, "main.js")), name);
    process.stdout.write(`installed the ${name} kernelspec in ${dir}\n`);
    return;
  }
  if (sub === "spec") {
    const { kernelSpec } = await load("kernelspec.js");
    process.stdout.write(`${JSON.stringify(kernelSpec(join(dist, "main.js")), null, 2)}\n`);
    return;
  }
  if (sub === "run") {
    // Runs exactly what the kernelspec runs (same node flags), forwarding signals to the kernel.
    const { connectionFileFromArgs } = await load("main.js");
    const { kernelSpec } = await load("kernelspec.js");
    const file = connectionFileFromArgs(rest);
    if (!file) fail(`kernel run needs -f CONNECTION_FILE\n${USAGE}`);
    const [node, ...argv] = kernelSpec(join(dist, "main.js")).argv.map((a) => (a === "{connection_file}" ? file : a));
    const { spawn } = await import("node:child_process");
    const child = spawn(node, argv, { stdio: "inherit" });
    for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => child.kill(sig));
    child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
    return;
  }
  fail(USAGE);
}

// `statarb reproduce avellaneda-lee [--out DIR]`: the paper's strategies on sp500-2003-2007 (lib/analytics' reproduceAvellanedaLee).
async function reproduce(args) {
  const [what, ...rest] = args;
  if (what !== "avellaneda-lee") fail(`reproduce: unknown study ${JSON.stringify(what ?? "")}; known: avellaneda-lee\n${USAGE}`);
  let out = "out/avellaneda-lee";
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === "--out") out = rest[++i] ?? fail("--out needs a directory");
    else if (a.startsWith("--out=")) out = a.slice(6);
    else fail(`reproduce: unknown option ${a}\n${USAGE}`);
  }
  const file = join(root, "dist", "lib", "index.js");
  if (!existsSync(file)) fail(`${file} is missing: build first with  npx tsc -p tsconfig.build.json`);
  const { reproduceAvellanedaLee } = await import(pathToFileURL(file).href);
  const r = await reproduceAvellanedaLee({ out });
  const f = (x, d = 2) => (x === null || !Number.isFinite(x) ? "–" : x.toFixed(d));
  process.stdout.write(`Avellaneda & Lee (2010) on sp500-2003-2007, ${r.summary.period.from} … ${r.summary.period.to}\n`);
  process.stdout.write("run                                                  execution   Sharpe gross  Sharpe net  mean yearly net  turnover/day\n");
  for (const s of r.summary.runs.filter((x) => x.construction === "none")) {
    process.stdout.write(`${s.label.padEnd(52)} ${s.fillAt.padEnd(11)} ${f(s.whole.gross.sharpeRatio).padStart(12)} ${f(s.whole.net.sharpeRatio).padStart(11)} ${f(s.meanAnnualSharpeNet).padStart(16)} ${f(s.whole.turnover * 100, 0).padStart(12)}%\n`);
  }
  process.stdout.write(`paper (abstract): PCA 1.44 (1997–2007), 0.9 (2003–2007); ETF 1.1 (1997–2007)\n`);
  process.stdout.write(`wrote ${r.paths.summary}\n      ${r.paths.daily}\n      ${r.paths.report}\n`);
  const t = r.seconds;
  process.stdout.write(`seconds: load ${t.load}, strategies ${t.strategies}, rebalancers ${t.constructions}, write ${t.write}, total ${t.total}\n`);
}

const [command, ...args] = process.argv.slice(2);
if (command === "kernel") {
  kernel(args).catch((err) => fail(err instanceof Error ? err.message : String(err)));
} else if (command === "sweep") {
  load("sweep/cli.js")
    .then(async ({ sweepCli, SWEEP_USAGE }) => {
      if (args.includes("--help") || args.includes("-h")) {
        process.stdout.write(`${SWEEP_USAGE}\n`);
        return 0;
      }
      return sweepCli(args);
    })
    .then((code) => process.exit(code), (err) => fail(err instanceof Error ? err.message : String(err)));
} else if (command === "reproduce") {
  reproduce(args).catch((err) => fail(err instanceof Error ? err.stack ?? err.message : String(err)));
} else {
  fail(USAGE);
}
