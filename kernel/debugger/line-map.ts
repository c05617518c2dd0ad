/**
 * TypeScript cell lines ↔ the JavaScript V8 runs, through the source map of the cell's compilation
 * (kernel/typescript/transform.ts). Breakpoints go from a cell line to the first JavaScript position
 * compiled from it; paused frames come back from a JavaScript position to the cell line. A cell with
 * line magics compiles in parts (kernel/magics/parse.ts keeps each part on the cell's own lines).
 */
import { splitCell } from "../magics/parse.js";
import { compileCell } from "../typescript/transform.js";

/** One mapping: 0-based generated (JavaScript) and original (TypeScript) positions. */
interface Mapping {
  genLine: number;
  genCol: number;
  line: number;
  col: number;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Decodes one base64 VLQ group into numbers. */
function vlq(group: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of group) {
    const digit = B64.indexOf(ch);
    if (digit < 0) throw new RangeError(`source map: bad VLQ digit ${JSON.stringify(ch)}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    out.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return out;
}

/** The mappings (v3 `mappings` string) with an original position, in generated order. */
export function decodeMappings(mappings: string): Mapping[] {
  const out: Mapping[] = [];
  let line = 0;
  let col = 0;
  let src = 0;
  mappings.split(";").forEach((groups, genLine) => {
    let genCol = 0;
    for (const g of groups.split(",")) {
      if (g === "") continue;
      const v = vlq(g);
      genCol += v[0] ?? 0;
      if (v.length < 4) continue;
      src += v[1] ?? 0;
      line += v[2] ?? 0;
      col += v[3] ?? 0;
      out.push({ genLine, genCol, line, col });
    }
  });
  return out;
}

/** One compiled part of a cell: its mappings by TypeScript line and in generated order. */
export class PartMap {
  readonly #mappings: Mapping[];
  /** Lines of the cell (0-based) this part holds code on. */
  readonly lines: ReadonlySet<number>;

  constructor(mapText: string, ownLines: ReadonlySet<number>) {
    const parsed = mapText ? (JSON.parse(mapText) as { mappings?: string }) : {};
    this.#mappings = decodeMappings(parsed.mappings ?? "");
    this.lines = ownLines;
  }

  /** The first JavaScript position compiled from 0-based cell line `line` (undefined: none). */
  jsOf(line: number): { line: number; column: number } | undefined {
    let best: Mapping | undefined;
    for (const m of this.#mappings) {
      if (m.line !== line) continue;
      if (!best || m.genLine < best.genLine || (m.genLine === best.genLine && m.genCol < best.genCol)) best = m;
    }
    return best && { line: best.genLine, column: best.genCol };
  }

  /** The 0-based cell position of a 0-based JavaScript position: the last mapping on that line at or before it, else the line's first, else the nearest before. */
  tsOf(line: number, column: number): { line: number; column: number } | undefined {
    let before: Mapping | undefined;
    let onLine: Mapping | undefined;
    for (const m of this.#mappings) {
      if (m.genLine > line) break;
      if (m.genLine < line) {
        before = m;
        continue;
      }
      if (m.genCol <= column || !onLine) onLine = m;
      if (m.genCol > column) break;
    }
    const best = onLine ?? before;
    return best && { line: best.line, column: best.col };
  }
}

/** A cell's parts, compiled as the engine compiles them. */
export class CellMap {
  readonly parts: PartMap[];

  constructor(code: string) {
    this.parts = [];
    for (const seg of splitCell(code)) {
      if (seg.kind !== "ts") continue;
      const own = new Set<number>();
      seg.code.split("\n").forEach((l, i) => {
        if (l.trim() !== "") own.add(i);
      });
      this.parts.push(new PartMap(compileCell(seg.code).map, own));
    }
  }

  /**
   * Where a breakpoint on 1-based cell `line` goes: the part and 0-based JavaScript position, at the
   * first line from `line` on (within 20 lines) that has code; undefined when none has.
   */
  breakpoint(line: number): { part: number; line: number; jsLine: number; jsColumn: number } | undefined {
    for (let l = line - 1; l < line + 19; l++) {
      for (let p = 0; p < this.parts.length; p++) {
        const part = this.parts[p]!;
        if (!part.lines.has(l)) continue;
        const js = part.jsOf(l);
        if (js) return { part: p, line: l + 1, jsLine: js.line, jsColumn: js.column };
      }
    }
    return undefined;
  }
}
