/** Locates the language scripts of bridges/ from the sources or from dist/ (scripts are not copied to dist/). */
import { fileURLToPath } from "node:url";

const CORE_DIR = fileURLToPath(new URL(".", import.meta.url)).replace(/\/dist\/bridges\//, "/bridges/");

/** Absolute path of `bridges/<relative>`. */
export function bridgesPath(relative: string): string {
  return CORE_DIR.replace(/core\/$/, "") + relative;
}
