/** The statarb kernel as a library: the protocol core, the TypeScript language and the magic plug-in types. */
export { Kernel, type KernelOptions } from "./kernel.js";
export type { KernelImpl, KernelIO, ExecuteOutcome, ExecuteRequest, MimeBundle, LanguageInfo } from "./impl.js";
export { CommRegistry, Comm } from "./comms.js";
export { TypeScriptImpl } from "./typescript/typescript-impl.js";
export type { CellMagic, LineMagic, MagicContext, MagicRegistry } from "./magics/types.js";
export { MemoryTransport } from "./memory-transport.js";
export { Signer, encode, decode, newHeader, type Message, type MessageHeader } from "./wire.js";
export { kernelSpec, installKernelSpec, KERNEL_NAME } from "./kernelspec.js";
export { runKernel } from "./main.js";
export { DISPLAY_DTS } from "./display/display-api.js";
