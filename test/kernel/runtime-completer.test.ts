/**
 * The completion the engine answers from its values while the language service is still being built
 * (kernel/typescript/runtime-completer.ts): names and members found without running any code.
 */
import { describe, expect, it } from "vitest";
import { runtimeCompletions } from "../../kernel/typescript/runtime-completer.js";

describe("runtimeCompletions", () => {
  const root = { alphaSignal: 1, alphaBeta: 2, Math, model: { fit: () => 1, fitted: true }, get lazy(): unknown { throw new Error("a getter must not run"); } };

  it("completes global names and keywords, from the start of the word", () => {
    const r = runtimeCompletions("x = alph", 8, root);
    expect(r.matches).toEqual(["alphaBeta", "alphaSignal"]);
    expect([r.cursor_start, r.cursor_end]).toEqual([4, 8]);
    expect(runtimeCompletions("awa", 3, root).matches).toContain("await");
  });

  it("completes the members of a data-property chain, prototypes included", () => {
    expect(runtimeCompletions("Math.fl", 7, root).matches).toEqual(["floor"]);
    expect(runtimeCompletions("model.fi", 8, root).matches).toEqual(["fit", "fitted"]);
    const r = runtimeCompletions("model.fit.ca", 12, root);
    expect(r.matches).toEqual(expect.arrayContaining(["call"]));
    expect(r.matches.every((m) => m.startsWith("ca"))).toBe(true);
    expect(r.cursor_start).toBe(10);
  });

  it("runs no getter, and leaves members of calls, indexes and literals to the language service", () => {
    expect(runtimeCompletions("lazy.x", 6, root).matches).toEqual([]);
    expect(runtimeCompletions("[1, 2].inclu", 12, root).matches).toEqual([]);
    expect(runtimeCompletions("f().alph", 8, root).matches).toEqual([]);
    expect(runtimeCompletions("a.b.", 4, root).matches).toEqual([]);
  });

  it("counts the cursor in code points", () => {
    const code = 'const s = "📈"; alph';
    const r = runtimeCompletions(code, [...code].length, root);
    expect(r.matches).toEqual(["alphaBeta", "alphaSignal"]);
    expect(r.cursor_start).toBe([...code].length - 4);
  });
});
