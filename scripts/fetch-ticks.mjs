#!/usr/bin/env node
// Materialises the one real tick sample found on the package registries into
// datasets/.cache/ticks-pandas-taq/ (sample.json + meta.json): the trades and quotes of MSFT, GOOG and
// AAPL at the US open of 2016-05-25 (13:30:00.023–.078 UTC, with market centers) that pandas ships as
// the fixtures of its merge_asof tests (pandas/tests/reshape/merge/test_merge_asof.py), together with
// the as-of join pandas expects of them. The fixtures are Python literals: they are read with Python's
// `ast` (never executed). Source: the pandas wheel pinned below, taken from .venv when that exact
// version is installed there (requirements.txt pins it), else fetched with `pip download` from PyPI.
// Idempotent: a cache whose meta.json names the same source is left alone. Usage: node scripts/fetch-ticks.mjs [--force]
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE = { registry: "pypi", package: "pandas", version: "3.1.1", path: "pandas/tests/reshape/merge/test_merge_asof.py" };
const NAME = "ticks-pandas-taq";
const cacheDir = process.env.STATARB_DATA_DIR ?? join(root, "datasets", ".cache");
const dest = join(cacheDir, NAME);
const python = join(root, ".venv", "bin", "python");
const sourceKey = `${SOURCE.registry}:${SOURCE.package}@${SOURCE.version}`;
const run = (cmd, args) => execFileSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 28 }).toString();

function cached() {
  try {
    const meta = JSON.parse(readFileSync(join(dest, "meta.json"), "utf8"));
    return meta.source === sourceKey && existsSync(join(dest, "sample.json"));
  } catch {
    return false;
  }
}

/** The test file's text: from the installed pandas when it is the pinned version, else from the wheel. */
function testFile(work) {
  const probe = `import importlib.metadata as m, pathlib, pandas\nprint(m.version("pandas"))\nprint(pathlib.Path(pandas.__file__).parent.parent)`;
  try {
    const [version, site] = run(python, ["-c", probe]).trim().split("\n");
    const file = join(site, SOURCE.path);
    if (version === SOURCE.version && existsSync(file)) return { text: readFileSync(file, "utf8"), via: ".venv" };
  } catch {
    // no .venv or no pandas there: download the wheel
  }
  run(python, ["-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check", `${SOURCE.package}==${SOURCE.version}`, "-d", work]);
  const wheel = readdirSync(work).find((f) => f.endsWith(".whl"));
  if (!wheel) throw new Error(`pip download of pandas==${SOURCE.version} produced no wheel`);
  const text = run(python, ["-c", "import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())", join(work, wheel), SOURCE.path]);
  return { text, via: "wheel" };
}

// Reads the DataFrame literal of each fixture (first class that defines all three) with ast.literal_eval;
// np.nan becomes null.
const EXTRACT = String.raw`
import ast, json, sys
tree = ast.parse(sys.stdin.read())
class NaN(ast.NodeTransformer):  # np.nan (a missing quote) -> None -> JSON null
    def visit_Attribute(self, node):
        return ast.copy_location(ast.Constant(None), node) if node.attr == "nan" else node
tree = NaN().visit(tree)
want = ("trades", "quotes", "asof")
for cls in [n for n in tree.body if isinstance(n, ast.ClassDef)]:
    fns = {f.name: f for f in cls.body if isinstance(f, ast.FunctionDef)}
    if not all(w in fns for w in want):
        continue
    out = {}
    for w in want:
        call = next(n for n in ast.walk(fns[w]) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "DataFrame")
        rows = ast.literal_eval(call.args[0])
        kw = next(k for k in call.keywords if k.arg == "columns")
        cols = ast.literal_eval(kw.value.func.value) if isinstance(kw.value, ast.Call) else ast.literal_eval(kw.value)
        if isinstance(cols, str):
            cols = cols.split(",")
        out[w] = {"columns": cols, "rows": rows}
    print(json.dumps(out))
    break
else:
    sys.exit("no class with trades/quotes/asof fixtures")
`;

if (!process.argv.includes("--force") && cached()) {
  console.log(`  ${NAME}: cached`);
  process.exit(0);
}
const work = mkdtempSync(join(tmpdir(), "statarb-ticks-"));
try {
  const { text, via } = testFile(work);
  const json = execFileSync(python, ["-c", EXTRACT], { input: text, maxBuffer: 1 << 26 }).toString();
  const sample = JSON.parse(json);
  for (const k of ["trades", "quotes", "asof"]) if (!sample[k]?.rows?.length) throw new Error(`fixture ${k} is empty`);
  const body = JSON.stringify({ description: "MSFT, GOOG, AAPL trades and quotes at the US open of 2016-05-25 (times UTC as given), pandas merge_asof test fixtures", ...sample }, null, 1) + "\n";
  mkdirSync(cacheDir, { recursive: true });
  const tmp = mkdtempSync(join(cacheDir, `.${NAME}.tmp-`));
  writeFileSync(join(tmp, "sample.json"), body);
  const meta = { name: NAME, source: sourceKey, path: SOURCE.path, via, sha256: createHash("sha256").update(body).digest("hex"), trades: sample.trades.rows.length, quotes: sample.quotes.rows.length, fetchedAt: new Date().toISOString() };
  writeFileSync(join(tmp, "meta.json"), JSON.stringify(meta, null, 2) + "\n");
  rmSync(dest, { recursive: true, force: true });
  renameSync(tmp, dest);
  console.log(`  ${NAME}: ${meta.trades} trades, ${meta.quotes} quotes from ${sourceKey} (${via})`);
} catch (err) {
  console.error(`  ${NAME}: FAILED: ${String(err.stderr?.toString().trim() || err.message).split("\n").slice(-3).join(" | ")}`);
  console.error(`    retry: node scripts/fetch-ticks.mjs --force`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
