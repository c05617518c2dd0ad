/**
 * The plug-in surface of cell and line magics. The kernel owns the registry; other packages
 * (bridges) implement `CellMagic` / `LineMagic` against these types.
 */

/** What a running magic can do to its cell and the kernel's TypeScript scope. */
export interface MagicContext {
  /** Streams text to the cell's stdout. */
  stdout(text: string): void;
  /** Streams text to the cell's stderr. */
  stderr(text: string): void;
  /** Sends a mime bundle as a display_data message. */
  display(bundle: Record<string, unknown>, metadata?: Record<string, unknown>): void;
  /** A variable of the kernel's TypeScript global scope (undefined when absent). */
  getVariable(name: string): unknown;
  /** Sets (or creates) a variable of the kernel's TypeScript global scope. */
  setVariable(name: string, value: unknown): void;
  /** Aborted when the user interrupts the cell. */
  signal: AbortSignal;
  /** The notebook's folder. */
  cwd: string;
}

/** A `%%name args` cell magic: `body` is the rest of the cell. */
export interface CellMagic {
  name: string;
  help?: string;
  run(args: string, body: string, ctx: MagicContext): Promise<unknown>;
}

/** A `%name args` line magic. */
export interface LineMagic {
  name: string;
  help?: string;
  run(args: string, ctx: MagicContext): Promise<unknown>;
}

/** Where magics are registered. */
export interface MagicRegistry {
  registerCell(m: CellMagic): void;
  registerLine(m: LineMagic): void;
}
