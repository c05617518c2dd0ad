// Builds native/linalg standalone (cmake, Release) into native/build-linalg/Release/statarb_linalg.node
// (native/build-*/ is git-ignored).
// Used when native/CMakeLists.txt does not add_subdirectory(linalg); never downloads anything.
// Exit code 0 with a message when cmake or Eigen is missing: lib/stats then uses TypeScript.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
const here = fileURLToPath(new URL(".", import.meta.url));
const out = fileURLToPath(new URL("../build-linalg", import.meta.url));
try {
  execFileSync("cmake", ["-S", here, "-B", out, "-DCMAKE_BUILD_TYPE=Release"], { stdio: "inherit" });
  execFileSync("cmake", ["--build", out, "--config", "Release", "-j", "2"], { stdio: "inherit" });
} catch (e) {
  console.log(`[native/linalg] not built (${e.message.split("\n")[0]}); lib/stats falls back to TypeScript`);
}
