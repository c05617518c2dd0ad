/**
 * The packed library as a user gets it: `npm pack` here, then in an empty temporary project
 * `npm install ./statarb-x.y.z.tgz` (plus @types/node for the type check), then a script that uses
 * `statarb`, `statarb/native` and `statarb/bridges`, and a strict nodenext consumer type-checked with
 * `skipLibCheck: false`. `--prefer-offline` takes packages from npm's cache (filled by `npm ci`) when
 * it holds them; nothing is fetched from outside the npm registry. Then the engine's install script
 * without cmake: the install still succeeds and `statarb/native` says in one line what is missing.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
const ready = existsSync(join(root, "dist", "lib", "index.js")) && existsSync(join(root, "node_modules", ".bin", "tsc"));
const dir = mkdtempSync(join(tmpdir(), "statarb-consumer-"));
const env = { ...process.env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };
const npm = (args: string[], cwd: string) => execFileSync("npm", args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
const node = (args: string[], extra: NodeJS.ProcessEnv = {}) => spawnSync(process.execPath, args, { cwd: dir, env: { ...env, ...extra }, encoding: "utf8" });

const SCRIPT = `
import { Panel, StatArbBacktester } from "statarb";
import { OrderBook, isEngineBuilt, engineLoadError } from "statarb/native";
import * as bridges from "statarb/bridges";
const p = Panel.fromColumns(["2024-01-02", "2024-01-03", "2024-01-04"], { A: [1, 2, 3], B: [4, 5, 6] });
const book = new OrderBook({ tickSize: 0.01 });
book.submit({ id: 1, side: "sell", price: 10, quantity: 5 });
const fill = book.submit({ id: 2, side: "buy", price: 10, quantity: 2 });
console.log(JSON.stringify({ shape: [p.nDates, p.nAssets], range: p.dateRange, backtester: typeof StatArbBacktester,
  built: isEngineBuilt(), problem: engineLoadError(), filled: fill.filled, bridges: Object.keys(bridges).length }));
`;

const CONSUMER = `
import { Panel, type BacktestResult } from "statarb";
import { OrderBook, type SubmitResult } from "statarb/native";
import * as bridges from "statarb/bridges";
const p: Panel = Panel.fromColumns(["2024-01-02"], { A: [1] });
const r: SubmitResult = new OrderBook({ tickSize: 0.01 }).submit({ id: 1, side: "buy", price: 1, quantity: 1 });
export const used: [number, string, number, BacktestResult | undefined] = [p.nDates, r.status, Object.keys(bridges).length, undefined];
`;

const TSCONFIG = {
  compilerOptions: { strict: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", types: ["node"], skipLibCheck: false, noEmit: true },
  files: ["consumer.ts"],
};

describe.skipIf(!ready)("the packed tarball installed into an empty project", () => {
  let tarball = "";
  beforeAll(() => {
    const packed = JSON.parse(npm(["pack", "--json", "--pack-destination", dir], root)) as { filename: string; files: { path: string }[] }[];
    tarball = join(dir, packed[0]!.filename);
    const files = packed[0]!.files.map((f) => f.path);
    expect(files).toContain("dist/lib/index.js");
    expect(files).toContain("dist/lib/index.d.ts");
    expect(files).toContain("node_modules/@statarb/engine/build.mjs");
    expect(files).toContain("node_modules/node-api-headers/include/node_api.h");
    expect(files.some((f) => f.startsWith("test/") || f.endsWith(".map") || f.startsWith("native/build/"))).toBe(false);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", type: "module", private: true }));
    npm(["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", tarball, "@types/node@20.19.43"], dir);
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`is statarb ${version} with its engine bundled`, () => {
    const manifest = JSON.parse(readFileSync(join(dir, "node_modules", "statarb", "package.json"), "utf8")) as { version: string };
    expect(manifest.version).toBe(version);
    expect(existsSync(join(dir, "node_modules", "statarb", "node_modules", "@statarb", "engine", "index.cjs"))).toBe(true);
  });

  it("runs a script using statarb, statarb/native and statarb/bridges", () => {
    writeFileSync(join(dir, "script.mjs"), SCRIPT);
    const run = node(["script.mjs"]);
    expect(run.stderr).toBe("");
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ shape: [3, 2], range: ["2024-01-02", "2024-01-04"], backtester: "function", built: true, problem: null, filled: 2 });
    expect(out.bridges).toBeGreaterThan(0);
  });

  it("type-checks a strict nodenext consumer with skipLibCheck: false", () => {
    writeFileSync(join(dir, "consumer.ts"), CONSUMER);
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG));
    const tsc = node([join(dir, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"]);
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  });

  it("without cmake the engine's install still succeeds, statarb loads and statarb/native says in one line what is missing", () => {
    const engine = join(dir, "node_modules", "statarb", "node_modules", "@statarb", "engine");
    rmSync(join(engine, "prebuilds"), { recursive: true, force: true });
    const build = node([join(engine, "build.mjs"), "--install"], { PATH: "/nonexistent" });
    expect(build.status).toBe(0);
    expect(readFileSync(join(engine, "build", "NOT-BUILT.txt"), "utf8")).toMatch(/^cmake configure failed: .*ENOENT.*\(needs cmake and g\+\+\)\n$/);
    const run = node(["script.mjs"]);
    expect(run.status).not.toBe(0); // the script builds a book, which needs the engine
    const probe = node(["--input-type=module", "-e", 'import * as s from "statarb"; import { isEngineBuilt, engineLoadError } from "statarb/native"; console.log(JSON.stringify([typeof s.Panel, isEngineBuilt(), engineLoadError()]))']);
    const [panel, built, problem] = JSON.parse(probe.stdout) as [string, boolean, string];
    expect([panel, built]).toEqual(["function", false]);
    expect(problem).toMatch(/^statarb native engine addon is not available: cmake configure failed: .*; build it with `node .*build\.mjs` \(needs cmake and g\+\+\)$/);
    expect(problem).not.toContain("\n");
  });
});
