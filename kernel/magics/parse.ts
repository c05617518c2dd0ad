/**
 * Splits a cell into what runs: a cell magic (`%%name args` on the first line, the rest is its body),
 * or TypeScript interleaved with line magics (`%name args` alone on a line). TypeScript parts keep
 * their line numbers: other lines are blanked, so errors point at the cell's own lines.
 */

export type Segment =
  | { kind: "ts"; code: string }
  | { kind: "line"; name: string; args: string; line: number }
  | { kind: "cell"; name: string; args: string; body: string };

const CELL_MAGIC = /^%%([A-Za-z_][\w.-]*)[ \t]*(.*)$/;
const LINE_MAGIC = /^[ \t]*%([A-Za-z_][\w.-]*)(?:[ \t]+(.*))?$/;

export function splitCell(code: string): Segment[] {
  const lines = code.split("\n");
  const first = lines.findIndex((l) => l.trim() !== "");
  const head = first >= 0 ? CELL_MAGIC.exec(lines[first] as string) : null;
  if (head) return [{ kind: "cell", name: head[1] as string, args: (head[2] ?? "").trim(), body: lines.slice(first + 1).join("\n") }];
  const segments: Segment[] = [];
  let ts: string[] | undefined;
  const flush = () => {
    if (ts && ts.some((l) => l.trim() !== "")) segments.push({ kind: "ts", code: ts.join("\n") });
    ts = undefined;
  };
  lines.forEach((line, i) => {
    const m = /^[ \t]*%%/.test(line) ? null : LINE_MAGIC.exec(line);
    if (m) {
      flush();
      segments.push({ kind: "line", name: m[1] as string, args: (m[2] ?? "").trim(), line: i });
      return;
    }
    ts ??= lines.slice(0, i).map(() => "");
    ts.push(line);
  });
  flush();
  return segments;
}

/** The cell's TypeScript with magic lines blanked (what the language service sees). */
export function typescriptOf(code: string): string {
  const segs = splitCell(code);
  if (segs.some((s) => s.kind === "cell")) return "";
  const lines = code.split("\n");
  for (const s of segs) if (s.kind === "line") lines[s.line] = "";
  return lines.join("\n");
}
