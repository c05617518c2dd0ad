/**
 * No function or method longer than 80 lines in the shipped code (DESIGN.md; issue 14): TypeScript in
 * lib/, kernel/, bridges/, native/ts (measured on the AST), C++ in native/src and native/linalg
 * (measured by the brace scanner of ./cpp-functions.ts, itself tested on a fixture).
 *
 * ALLOWED lists the offenders of the day the check landed, each with its length then. The list may
 * only SHRINK: the test fails when
 *   - a function not listed is longer than 80 lines (split it),
 *   - a listed function grew past its recorded length,
 *   - a listed function is now ≤ 80 lines, or is gone/renamed (delete its entry — that is the point).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scanCppFunctions } from "./cpp-functions.js";
import { functionLengths, listFiles, ROOT } from "./sources.js";

const MAX_LINES = 80;

interface Allowed {
  readonly file: string;
  readonly name: string;
  /** Its length when it was listed: it may shrink, never grow. */
  readonly lines: number;
}

/** Today's long functions, being split by their owners. Remove an entry when its function is ≤ 80 lines. */
const ALLOWED: readonly Allowed[] = [];

const TS_DIRS = ["lib", "kernel", "bridges", "native/ts"];
const CPP_DIRS = ["native/src", "native/linalg"];
const CPP_EXTS = [".cc", ".cpp", ".h", ".hpp"];

interface Measured {
  readonly file: string;
  readonly name: string;
  readonly line: number;
  readonly lines: number;
}

function measureAll(): Measured[] {
  const out: Measured[] = [];
  for (const dir of TS_DIRS) for (const file of listFiles(dir, [".ts"])) out.push(...functionLengths(file));
  for (const dir of CPP_DIRS) {
    for (const file of listFiles(dir, CPP_EXTS)) {
      for (const f of scanCppFunctions(readFileSync(join(ROOT, file), "utf8"))) out.push({ file, name: f.name, line: f.startLine, lines: f.lines });
    }
  }
  return out;
}

describe("function length", () => {
  it(`no function or method is longer than ${MAX_LINES} lines, except the shrinking allowlist`, () => {
    const long = measureAll().filter((f) => f.lines > MAX_LINES);
    const problems: string[] = [];
    for (const f of long) {
      const allowed = ALLOWED.find((a) => a.file === f.file && a.name === f.name);
      if (allowed === undefined) problems.push(`${f.file}:${f.line} ${f.name} is ${f.lines} lines (max ${MAX_LINES}): split it`);
      else if (f.lines > allowed.lines) problems.push(`${f.file}:${f.line} ${f.name} grew to ${f.lines} lines (allowlisted at ${allowed.lines}): it may only shrink`);
    }
    for (const a of ALLOWED) {
      if (!long.some((f) => f.file === a.file && f.name === a.name)) {
        problems.push(`${a.file} ${a.name} is no longer over ${MAX_LINES} lines (or was renamed): delete its entry from ALLOWED in test/architecture/function-length.test.ts`);
      }
    }
    expect(problems, problems.join("\n")).toEqual([]);
  });

  it("finds the functions of every source folder it checks (the scan is not empty)", () => {
    const all = measureAll();
    for (const dir of [...TS_DIRS, ...CPP_DIRS]) expect(all.filter((f) => f.file.startsWith(`${dir}/`)).length, dir).toBeGreaterThan(5);
  });
});
