/**
 * Lazy loading of @tensorflow/tfjs on the WebAssembly backend. The wasm binaries ship inside the
 * npm package; they are loaded from node_modules by file path (no network). tfjs is imported only
 * when a neural model is first used, so `import "statarb"` stays fast. The backend is process-global
 * in tfjs; it is set once (when it is not wasm already) and left alone after. The wasm backend runs
 * single-threaded in Node, which makes training and inference deterministic for a given seed.
 */
import { createRequire } from "node:module";
import { dirname } from "node:path";

import type { TF } from "./tf-types.js";

/** @internal tfjs' own declaration files do not type-check (skipLibCheck: false), so statarb's published types never name it (tsconfig.build.json strips `@internal`). */
export type { TF } from "./tf-types.js";

/** tfjs once loaded with the custom layers registered: later calls skip the dynamic imports (under a loader such as tsx each one is a round trip to the loader's thread, ≈ 4 ms, more than half an inference batch). */
let loaded: TF | null = null;

/** Loads tfjs, switches it to the wasm backend (once; again if something switched it away) and registers statarb's custom layers. @internal */
export async function loadTensorflow(): Promise<TF> {
  if (loaded !== null && loaded.getBackend() === "wasm") return loaded;
  const tf = (await import("@tensorflow/tfjs")) as TF;
  if (tf.getBackend() !== "wasm") {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    const require = createRequire(import.meta.url);
    const dir = `${dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"))}/`;
    wasm.setWasmPaths(dir);
    const ok = await tf.setBackend("wasm");
    if (!ok) throw new Error(`tfjs: the wasm backend failed to initialise from ${dir}; reinstall @tensorflow/tfjs-backend-wasm (npm ci)`);
  }
  await tf.ready();
  const { registerCustomLayers } = await import("./tf-layers.js");
  registerCustomLayers(tf);
  loaded = tf;
  return tf;
}
