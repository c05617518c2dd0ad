/**
 * `%%sql [-o NAME] [-s STORE] [-q]`: runs the cell as DuckDB SQL on a tick store (lib/ticks) and shows
 * the result as a table. `-o NAME` also binds the result (an apache-arrow Table) to the TypeScript
 * variable NAME; `-s STORE` names the variable holding the TickStore to query (default: the one
 * TickStore among the notebook's variables; with none, a kernel-wide in-memory DuckDB opened on first
 * use); `-q` binds without showing.
 */
import { parseMagicLine } from "./args.js";
import type { Magics } from "./registry.js";
import type { MagicContext } from "./types.js";

/** A tick store as the magic sees it (lib/ticks' TickStore, found by its Symbol.for brand). */
interface SqlStore {
  query(sql: string): Promise<unknown>;
}

const BRAND = Symbol.for("statarb.tickStore");

export interface SqlArgs {
  output: string | undefined;
  store: string | undefined;
  quiet: boolean;
}

const SQL_FLAGS = {
  output: { names: ["-o", "--output"], kind: "name" },
  store: { names: ["-s", "--store"], kind: "name" },
  quiet: { names: ["-q", "--quiet"], kind: "switch" },
} as const;

/** Parses the magic's line; unknown flags and bad names are errors that say what is allowed. */
export function parseSqlArgs(args: string): SqlArgs {
  const { flags } = parseMagicLine("%%sql", args, SQL_FLAGS, { usage: "%%sql [-o NAME] [-s STORE] [-q]" });
  return { output: flags.output, store: flags.store, quiet: flags.quiet === true };
}

const isStore = (v: unknown): v is SqlStore => typeof v === "object" && v !== null && (v as Record<symbol, unknown>)[BRAND] === true;

/** Registers `%%sql`; `userNames` lists the notebook's variables (to find its TickStore). */
export function registerSqlMagic(magics: Magics, engine: { userNames(): string[] }): void {
  let fallback: Promise<SqlStore> | undefined;
  const pick = (a: SqlArgs, ctx: MagicContext): Promise<SqlStore> => {
    if (a.store !== undefined) {
      const v = ctx.getVariable(a.store);
      if (!isStore(v)) throw new Error(`%%sql: -s ${a.store}: that variable is not a TickStore (open one with openTickStore())`);
      return Promise.resolve(v);
    }
    const found = engine.userNames().filter((n) => isStore(ctx.getVariable(n)));
    if (found.length > 1) throw new Error(`%%sql: several TickStores (${found.join(", ")}); choose one with -s NAME`);
    if (found.length === 1) return Promise.resolve(ctx.getVariable(found[0] as string) as SqlStore);
    fallback ??= import("../../lib/ticks/index.js").then((m) => m.openTickStore());
    return fallback;
  };
  magics.registerCell({
    name: "sql",
    help: "runs DuckDB SQL on the tick store (tables trades, quotes): %%sql [-o NAME] [-s STORE] [-q]",
    async run(args, body, ctx) {
      const a = parseSqlArgs(args);
      if (body.trim() === "") throw new Error("%%sql: the cell has no SQL below the magic line");
      const result = await (await pick(a, ctx)).query(body);
      if (a.output !== undefined) ctx.setVariable(a.output, result);
      return a.quiet ? undefined : result;
    },
  });
}
