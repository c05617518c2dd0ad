// Builds the matching-engine addon: cmake configure (once) + build (incremental) of Release into
// native/build/, against the node-api-headers and node-addon-api npm packages — never downloads
// Node headers. Output: native/build/Release/statarb_engine.node (package.json "main").
// Runs as this workspace's npm install script and from scripts/setup.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const out = fileURLToPath(new URL("./build", import.meta.url));
const require = createRequire(import.meta.url);
const say = (m) => console.log(`[@statarb/engine] ${m}`);

function fail(step, err) {
  console.error(`[@statarb/engine] ${step} failed: ${err.message.split("\n")[0]}`);
  console.error("[@statarb/engine] needs cmake and g++ (apt-get install cmake g++); retry with: node native/build.mjs");
  process.exit(1);
}

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
