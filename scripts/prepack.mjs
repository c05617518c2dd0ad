#!/usr/bin/env node
// npm pack's prepack / postpack (package.json): what the packed tarball needs beyond the sources.
//   node scripts/prepack.mjs          compile dist/ when a source is newer than it (tsc, as setup
//                                     does), and copy the engine addon built on this machine into
//                                     native/prebuilds/<platform>-<arch>/ (shipped inside the bundled
//                                     @statarb/engine; its install script builds from source when
//                                     the prebuilt does not load on the installing machine)
//   node scripts/prepack.mjs --clean  remove native/prebuilds/ again (postpack)
// dist/ is never deleted here: tests and kernels of this checkout may be reading it.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const prebuilds = join(root, "native", "prebuilds");
// stderr: `npm pack --json` prints its JSON on stdout
const say = (m) => console.error(`[prepack] ${m}`);

if (process.argv.includes("--clean")) {
  rmSync(prebuilds, { recursive: true, force: true });
  process.exit(0);
}

/** Newest modification time of the .ts / .json files under `dir` (recursively). */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "node_modules" && e.name !== "build" && !e.name.startsWith(".")) t = Math.max(t, newest(p));
    } else if (/\.(ts|json)$/.test(e.name)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

const stamp = join(root, "dist", ".statarb-build");
const sources = ["lib", "kernel", "bridges", "native/ts"].map((d) => join(root, d));
const configs = ["tsconfig.base.json", "tsconfig.build.json", "package.json"].map((f) => statSync(join(root, f)).mtimeMs);
const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
if (Math.max(...configs, ...sources.map(newest)) > built) {
  say("compiling lib, kernel, bridges, native/ts into dist/ (tsc -p tsconfig.build.json)");
  // node_modules/.bin/tsc, the compiler setup and `npx tsc` use
  execFileSync(join(root, "node_modules", ".bin", "tsc"), ["-p", join(root, "tsconfig.build.json")], { stdio: ["ignore", process.stderr, process.stderr] });
  writeFileSync(stamp, "");
} else {
  say("dist/ is up to date");
}

const addon = join(root, "native", "build", "Release", "statarb_engine.node");
if (existsSync(addon)) {
  const dir = join(prebuilds, `${process.platform}-${process.arch}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(addon, join(dir, "statarb_engine.node"));
  say(`prebuilt engine addon for ${process.platform}-${process.arch} packed (native/prebuilds/)`);
} else {
  say("native/build/Release/statarb_engine.node is not built: the tarball builds the engine at install (node native/build.mjs builds it here)");
}

