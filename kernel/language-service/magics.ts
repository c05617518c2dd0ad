/**
 * Masks the kernel's magics out of a cell so the TypeScript language service sees only TypeScript,
 * keeping every offset in place (masked characters become spaces, newlines stay).
 */

/** Line magics whose argument is a TypeScript expression or statement (`%time expr`). */
const TYPESCRIPT_ARGUMENT_MAGICS = new Set(["time", "timeit"]);

/**
 * The cell with its magics blanked, or `undefined` when the cell is a cell magic (`%%R`, `%%sh`…)
 * whose body is not TypeScript.
 */
export function maskMagics(code: string): string | undefined {
  if (/^\s*%%/.test(code)) return undefined;
  if (!code.includes("%")) return code;
  return code.replace(/^([ \t]*)%(\w+)([^\n]*)/gm, (whole: string, indent: string, name: string, rest: string) => {
    const blankedHead = indent + " ".repeat(name.length + 1);
    return TYPESCRIPT_ARGUMENT_MAGICS.has(name) ? blankedHead + rest : " ".repeat(whole.length);
  });
}
