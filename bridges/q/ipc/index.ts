/** The kdb+ IPC codec: object model, encoder, decoder, compression, TS conversion and a TCP client. */
export * from "./types.js";
export { encodeMessage, encodeObject } from "./encode.js";
export { decodeMessage, decodeObject } from "./decode.js";
export type { QMessage } from "./decode.js";
export { compress, decompress } from "./compress.js";
export { toQ, fromQ, QError, Q_EPOCH_DAYS } from "./convert.js";
export { QConnection } from "./connection.js";
export type { QConnectionOptions } from "./connection.js";
