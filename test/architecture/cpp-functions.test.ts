/** The C++ function scanner of the length check, on a fixture of the constructs it must get right. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { blankCpp, scanCppFunctions } from "./cpp-functions.js";
import { ROOT } from "./sources.js";

const fixture = readFileSync(join(ROOT, "test/architecture/fixtures/scanner-sample.cc"), "utf8");

describe("C++ function scanner", () => {
  it("finds every function body of the fixture with its name and line span", () => {
    const found = scanCppFunctions(fixture).map((f) => [f.name, f.startLine, f.endLine, f.lines]);
    expect(found).toEqual([
      ["freeFunction", 16, 24, 9], // multi-line signature; a lambda, braces in a string and a char inside
      ["Widget::Widget", 30, 32, 3], // constructor with a brace-initialised member in its init list
      ["Widget::~Widget", 33, 33, 1],
      ["Widget::size", 34, 34, 1],
      ["Widget::operator==", 35, 35, 1],
      ["Widget::tail", 36, 38, 3], // trailing return type
      ["Inner::touch", 42, 42, 1], // nested struct
      ["twice", 48, 51, 4], // from the template line
      ["Widget::clear", 53, 57, 5], // out-of-line member; braces inside a block comment
      ["c_entry", 62, 62, 1], // inside extern "C" { }
      ["afterMacro", 67, 70, 4], // after a macro call without a semicolon; raw string; digit separators
    ]);
  });

  it("skips enums, aggregate initializers and macro bodies", () => {
    const names = scanCppFunctions(fixture).map((f) => f.name);
    expect(names).not.toContain("a"); // MULTI_LINE's body is a preprocessor line
    expect(names).not.toContain("BODY");
    expect(names.some((n) => n.includes("kTable") || n.includes("Color"))).toBe(false);
  });

  it("blanks comments, strings and directives but keeps every newline", () => {
    const blanked = blankCpp(fixture);
    expect(blanked.length).toBe(fixture.length);
    expect(blanked.split("\n").length).toBe(fixture.split("\n").length);
    expect(blanked).not.toContain("brace in a string");
    expect(blanked).not.toContain("#include");
  });

  it("measures a long function the way the TypeScript check does (first line to closing brace)", () => {
    const body = Array.from({ length: 85 }, (_, i) => `  x += ${i};`).join("\n");
    const [f] = scanCppFunctions(`int f(int x)\n{\n${body}\n  return x;\n}\n`);
    expect(f).toEqual({ name: "f", startLine: 1, endLine: 89, lines: 89 });
  });
});
