/** File-system helpers the library and the kernel share (import-free apart from node:fs, so the engine loads it cheaply). */
export { makeDirs, makeDirsSync } from "./make-dirs.js";
