/**
 * What the TypeScript language loads lazily from a sibling package: the bridges' magics
 * (dist/bridges/magics.js, when built). A missing or failing module is logged and never breaks the
 * kernel. (The language service runs on its own thread: language-client.ts.)
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Magics } from "../magics/registry.js";
import type { CellMagic, LineMagic } from "../magics/types.js";

type BridgeMagicsModule = typeof import("../../bridges/magics.js");

const KERNEL_DIR = dirname(dirname(fileURLToPath(import.meta.url)));

/** Registers `bridgeMagics()` of bridges/magics.js; resolves to the sessions' closeAll (if any). */
export async function loadBridgeMagics(magics: Magics, log: (line: string) => void): Promise<(() => Promise<void>) | undefined> {
  const file = join(KERNEL_DIR, "..", "bridges", "magics.js");
  if (!existsSync(file)) return undefined;
  try {
    // Typed by the bridges' own declaration (a type-only import: the module still loads lazily), so
    // a drift between its structural magic types and kernel/magics/types.ts fails the type-check.
    const mod = (await import(pathToFileURL(file).href)) as Partial<BridgeMagicsModule>;
    const found = mod.bridgeMagics?.();
    for (const m of found?.cell ?? []) magics.registerCell(m satisfies CellMagic);
    for (const m of found?.line ?? []) magics.registerLine(m satisfies LineMagic);
    return found?.sessions.closeAll.bind(found.sessions);
  } catch (err) {
    log(`bridge magics not loaded: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}
