// Builds the addon with cmake against node-api-headers (never downloads Node headers).
import { existsSync } from "node:fs";
const here = new URL(".", import.meta.url).pathname;
if (!existsSync(here + "CMakeLists.txt")) {
  console.log("[@statarb/engine] no CMakeLists.txt yet: nothing to build");
  process.exit(0);
}
