/**
 * `import` and `require` for cells. Bare specifiers resolve from the notebook's folder first, then from
 * the kernel's own package, so `statarb` and the kernel's dependencies (Plot, danfojs, …) import from
 * notebooks anywhere; ESM-only and CommonJS packages both work (Node's ESM resolver, through
 * `import.meta.resolve` with a parent, which the kernelspec enables with
 * `--experimental-import-meta-resolve`; `require.resolve` as fallback). Relative imports resolve from
 * the notebook's folder; `.ts` files go through tsx.
 */
import { existsSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { isAbsolute, resolve as resolvePath } from "node:path";
import { pathToFileURL } from "node:url";

const KERNEL_URL = import.meta.url;
const TS_FILE = /\.(c|m)?tsx?$/;

type Namespace = Record<string, unknown>;

export class ModuleLoader {
  readonly #cwd: () => string;
  readonly #hooks: ((specifier: string, ns: Namespace) => Namespace)[] = [];

  constructor(cwd: () => string) {
    this.#cwd = cwd;
  }

  /** Lets the kernel adapt a module on import (e.g. Plot gets a DOM). */
  onImport(hook: (specifier: string, ns: Namespace) => Namespace): void {
    this.#hooks.push(hook);
  }

  /** The cells' `require`, from the notebook's folder. */
  readonly require = (specifier: string): unknown => {
    const req = createRequire(resolvePath(this.#cwd(), "__notebook__.js"));
    try {
      return req(specifier);
    } catch (err) {
      if ((err as { code?: string }).code !== "MODULE_NOT_FOUND") throw err;
      return createRequire(KERNEL_URL)(specifier);
    }
  };

  /** The cells' `import(specifier)`. */
  readonly import = async (specifier: unknown): Promise<Namespace> => {
    if (typeof specifier !== "string") throw new TypeError(`import: the module specifier must be a string, got ${typeof specifier}`);
    const url = this.resolve(specifier);
    let ns: Namespace;
    if (url.startsWith("file:") && TS_FILE.test(url)) ns = await importTypeScript(url, pathToFileURL(resolvePath(this.#cwd(), "__notebook__.ts")).href);
    else ns = (await import(url)) as Namespace;
    for (const hook of this.#hooks) ns = hook(specifier, ns);
    return ns;
  };

  /** The URL `specifier` imports, as seen from the notebook's folder. */
  resolve(specifier: string): string {
    if (specifier.startsWith("node:") || builtinModules.includes(specifier)) return specifier;
    const cwd = this.#cwd();
    if (specifier.startsWith("file:")) return specifier;
    if (specifier.startsWith(".") || isAbsolute(specifier)) {
      const path = resolvePath(cwd, specifier);
      if (!existsSync(path)) {
        for (const ext of [".ts", ".mts", ".js", ".mjs", ".cjs", "/index.ts", "/index.js"]) if (existsSync(path + ext)) return pathToFileURL(path + ext).href;
        throw moduleNotFound(specifier, cwd);
      }
      return pathToFileURL(path).href;
    }
    const parents = [pathToFileURL(resolvePath(cwd, "__notebook__.js")).href, KERNEL_URL];
    for (const parent of parents) {
      const url = resolveFrom(specifier, parent);
      if (url) return url;
    }
    throw moduleNotFound(specifier, cwd);
  }
}

function resolveFrom(specifier: string, parentURL: string): string | undefined {
  try {
    const url = (import.meta.resolve as (s: string, p?: string) => string)(specifier, parentURL);
    // Without --experimental-import-meta-resolve the parent is ignored; only trust it for the kernel.
    if (parentURL === KERNEL_URL || supportsParent()) return url;
  } catch {
    /* fall through to require.resolve */
  }
  try {
    return pathToFileURL(createRequire(parentURL).resolve(specifier)).href;
  } catch {
    return undefined;
  }
}

let parentSupport: boolean | undefined;
function supportsParent(): boolean {
  if (parentSupport === undefined) {
    try {
      const probe = (import.meta.resolve as (s: string, p?: string) => string)("./probe.js", "file:///statarb-probe/x.js");
      parentSupport = probe === "file:///statarb-probe/probe.js";
    } catch {
      parentSupport = false;
    }
  }
  return parentSupport;
}

function moduleNotFound(specifier: string, cwd: string): Error {
  const e = new Error(`Cannot find module ${JSON.stringify(specifier)} from the notebook folder ${cwd} (nor from the statarb kernel's packages); install it with npm in that folder`);
  e.name = "ModuleNotFoundError";
  return e;
}

async function importTypeScript(url: string, parentURL: string): Promise<Namespace> {
  let api: { tsImport(specifier: string, parent: string): Promise<unknown> };
  try {
    api = (await import("tsx/esm/api")) as typeof api;
  } catch {
    throw new Error(`importing the TypeScript file ${url} needs the "tsx" package (npm install tsx)`);
  }
  return (await api.tsImport(url, parentURL)) as Namespace;
}
