// @statarb/engine's entry: loads the matching-engine addon built on this machine
// (build/Release/statarb_engine.node, by `node build.mjs`), else the prebuilt one shipped for this
// platform (prebuilds/<platform>-<arch>/statarb_engine.node, in the packed tarball). When neither
// loads it throws ONE line saying what is missing and how to build it; build.mjs records why an
// install-time build failed in build/NOT-BUILT.txt, which that line quotes.
"use strict";
const { existsSync, readFileSync } = require("node:fs");
const path = require("node:path");

const platform = `${process.platform}-${process.arch}`;
const candidates = [
  path.join(__dirname, "build", "Release", "statarb_engine.node"),
  path.join(__dirname, "prebuilds", platform, "statarb_engine.node"),
];

function oneLine(s) {
  return String(s).split("\n")[0].trim();
}

const problems = [];
let addon;
for (const file of candidates) {
  if (!existsSync(file)) continue;
  try {
    addon = require(file);
    addon.loadedFrom = file;
    break;
  } catch (e) {
    problems.push(`${path.relative(__dirname, file)} does not load (${oneLine(e.message)})`);
  }
}

if (!addon) {
  const record = path.join(__dirname, "build", "NOT-BUILT.txt");
  const why = existsSync(record) ? oneLine(readFileSync(record, "utf8")) : problems.join("; ") || `no build/Release/statarb_engine.node and no prebuilt for ${platform}`;
  const err = new Error(`statarb native engine addon is not available: ${why}; build it with \`node ${path.join(__dirname, "build.mjs")}\` (needs cmake and g++)`);
  err.code = "STATARB_ENGINE_NOT_BUILT";
  throw err;
}
module.exports = addon;
