/**
 * DuckDB (`@duckdb/node-api`, `@duckdb/node-bindings`) and kafkajs, loaded on first use rather than when
 * `statarb` is imported: together they are most of the cost of `import "statarb"` (a native addon to
 * dlopen, hundreds of CommonJS files to read and compile), paid by every notebook, script and sweep run
 * that never opens a tick store or a Kafka feed.
 *
 * All three packages are CommonJS only (no `exports` map, no ESM build), so `require` and `import` share
 * Node's one CommonJS module cache: what this returns is the very instance a user's own
 * `import { DuckDBInstance } from "@duckdb/node-api"` gets (no dual-package hazard; `instanceof` holds
 * both ways, test/ticks/lazy-deps.test.ts checks it). `require` rather than `import()` because some
 * readers (duck.ts) are synchronous, and it skips the ESM loader's export scan of every re-exported file.
 */
import { createRequire } from "node:module";
import type * as DuckApi from "@duckdb/node-api";
import type * as DuckBindings from "@duckdb/node-bindings";
import type * as KafkaJs from "kafkajs";

const cache: { api?: typeof DuckApi; bindings?: typeof DuckBindings; kafka?: typeof KafkaJs } = {};

/**
 * `require(name)` from here, or an error naming the package, what needed it and what to do.
 * @internal exported for the tests
 */
export function loadPackage<T>(name: string, why: string): T {
  try {
    return createRequire(import.meta.url)(name) as T;
  } catch (e) {
    const cause = (e instanceof Error ? e.message : String(e)).split("\n")[0] ?? "";
    const missing = (e as { code?: string }).code === "MODULE_NOT_FOUND" && cause.includes(name);
    throw new Error(
      missing
        ? `statarb: ${why} needs the package ${name}, which is not installed: run \`npm install ${name}\` (it is a dependency of statarb; a reinstall with \`npm install\` restores it)`
        : `statarb: ${why} needs the package ${name}, which failed to load (${cause}): reinstall it with \`npm install ${name}\`${name.startsWith("@duckdb/") ? ` (DuckDB's native library comes in @duckdb/node-bindings-${process.platform}-${process.arch}: check that it is installed for this platform)` : ""}`,
      { cause: e },
    );
  }
}

/** `@duckdb/node-api`, loaded on first call (throws a message naming the package and the fix when it cannot be loaded). */
export function duckApi(): typeof DuckApi {
  return (cache.api ??= loadPackage<typeof DuckApi>("@duckdb/node-api", "the tick store (DuckDB)"));
}

/** `@duckdb/node-bindings` (the raw C API under node-api), loaded on first call. */
export function duckBindings(): typeof DuckBindings {
  if (cache.bindings === undefined) {
    duckApi(); // node-api first: its failure message is the one a user can act on
    cache.bindings = loadPackage<typeof DuckBindings>("@duckdb/node-bindings", "the tick store (DuckDB)");
  }
  return cache.bindings;
}

/** kafkajs, loaded on first call. */
export function kafkaJs(): typeof KafkaJs {
  return (cache.kafka ??= loadPackage<typeof KafkaJs>("kafkajs", "the Kafka tick source"));
}
