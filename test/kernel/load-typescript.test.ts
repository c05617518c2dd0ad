/**
 * The TypeScript compiler loaded with V8's code cache (kernel/typescript/load-typescript.ts), in fresh
 * Node processes running the compiled kernel: the first writes the cache, the next one uses it (V8
 * accepts it, so it is not rewritten), and either way the compiler is the very module `require`
 * gives (one instance for the engine and the language service) and works.
 */
import { execa } from "execa";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureKernelInstalled, repoRoot } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "statarb-ts-cache-"));
const script = `
import { createRequire } from "node:module";
const { typescript } = await import(${JSON.stringify(join(repoRoot, "dist/kernel/typescript/load-typescript.js"))});
const ts = typescript();
const required = createRequire(${JSON.stringify(join(repoRoot, "dist/kernel/typescript/load-typescript.js"))})("typescript");
const js = ts.transpileModule("const x: number = 1; export default x;", { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
console.log(JSON.stringify({ same: ts === required && typescript() === ts, js }));
`;

async function run(): Promise<{ same: boolean; js: string }> {
  const { stdout } = await execa(process.execPath, ["--input-type=module", "-e", script], { env: { ...process.env, STATARB_CACHE_DIR: dir }, cwd: repoRoot });
  return JSON.parse(stdout) as { same: boolean; js: string };
}

function cacheFiles(): string[] {
  return readdirSync(dir).filter((f) => f.endsWith(".v8cache"));
}

describe("the TypeScript compiler with V8's code cache", () => {
  beforeAll(() => ensureKernelInstalled(), 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes the cache once, then loads with it; the compiler is require's and transpiles", async () => {
    const first = await run();
    expect(first).toEqual({ same: true, js: expect.stringContaining("const x = 1;") as unknown as string });
    const files = cacheFiles();
    expect(files).toHaveLength(1);
    const written = statSync(join(dir, files[0] as string)).mtimeMs;
    const second = await run();
    expect(second).toEqual(first);
    expect(cacheFiles()).toEqual(files);
    // accepted by V8, so not written again
    expect(statSync(join(dir, files[0] as string)).mtimeMs).toBe(written);
  }, 120_000);
});
