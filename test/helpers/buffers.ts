/** Hostile-buffer helpers shared by the native kernels' tests. */

/** A resizable ArrayBuffer (Node 20; not yet in this TypeScript's lib). */
export const resizable = (bytes: number, maxByteLength: number): ArrayBuffer & { resize(bytes: number): void } =>
  new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer & { resize(bytes: number): void })(bytes, { maxByteLength });
