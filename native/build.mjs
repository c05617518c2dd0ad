// Builds the matching-engine addon: cmake configure (once) + build (incremental) of Release into
// native/build/, against the node-api-headers and node-addon-api npm packages — never downloads
// Node headers. Output: native/build/Release/statarb_engine.node (package.json "main").
// Runs from scripts/setup (strict: a failure exits 1) and as this package's npm install script with
// --install: there a prebuilt addon for this platform that loads (prebuilds/, shipped in the packed
// tarball) is used as is, and a failed build does not fail the install — its one-line reason goes to
// build/NOT-BUILT.txt, which index.cjs (and so `statarb/native`) quotes; `statarb` loads without it.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const out = fileURLToPath(new URL("./build", import.meta.url));
const require = createRequire(import.meta.url);
const say = (m) => console.log(`[@statarb/engine] ${m}`);
const installing = process.argv.includes("--install");
const notBuilt = out + "/NOT-BUILT.txt";
const prebuilt = `${here}prebuilds/${process.platform}-${process.arch}/statarb_engine.node`;

function fail(step, err) {
  const why = `${step} failed: ${err.message.split("\n")[0]}`;
  console.error(`[@statarb/engine] ${why}`);
  console.error(`[@statarb/engine] needs cmake and g++ (apt-get install cmake g++); retry with: node ${here}build.mjs`);
  if (!installing) process.exit(1);
  mkdirSync(out, { recursive: true });
  writeFileSync(notBuilt, `${why} (needs cmake and g++)\n`);
  console.error("[@statarb/engine] statarb installs and loads without the engine; statarb/native says what is missing");
  process.exit(0);
}

if (installing && existsSync(prebuilt)) {
  try {
    createRequire(import.meta.url)(prebuilt);
    say(`using the prebuilt addon ${prebuilt.slice(here.length)}`);
    process.exit(0);
  } catch (e) {
    say(`the prebuilt addon does not load here (${e.message.split("\n")[0]}); building from source`);
  }
}
rmSync(notBuilt, { force: true });

let headers, addonApi;
try {
  headers = require("node-api-headers").include_dir;
  addonApi = dirname(require.resolve("node-addon-api/package.json")); // its include_dir is cwd-relative
} catch (e) {
  fail("locating node-api-headers / node-addon-api (run npm ci first)", e);
}
// the boundary codes of both languages come from native/codes.json (rewritten only when changed)
try {
  execFileSync(process.execPath, [here + "scripts/gen-codes.mjs"], { stdio: "inherit" });
} catch (e) {
  fail("generating the boundary codes from native/codes.json", e);
}
const run = (args) => execFileSync("cmake", args, { stdio: ["ignore", "inherit", "inherit"], cwd: here });
if (!existsSync(out + "/CMakeCache.txt")) {
  say(`configuring Release into ${out}`);
  try {
    run(["-S", here, "-B", out, "-DCMAKE_BUILD_TYPE=Release", "-DSTATARB_TESTS=OFF",
      `-DNODE_API_HEADERS_DIR=${headers}`, `-DNODE_ADDON_API_DIR=${addonApi}`]);
  } catch (e) {
    fail("cmake configure", e);
  }
}
say("building native/build/Release/statarb_engine.node (incremental)");
try {
  run(["--build", out, "--config", "Release", "--target", "statarb_engine", "-j", "2"]);
} catch (e) {
  fail("cmake build", e);
}
say("ready: native/build/Release/statarb_engine.node");
