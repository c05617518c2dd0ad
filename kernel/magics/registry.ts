/** The kernel's magic registry: built-in magics and those other packages (bridges) plug in. */
import type { CellMagic, LineMagic, MagicRegistry } from "./types.js";

export class Magics implements MagicRegistry {
  readonly #cell = new Map<string, CellMagic>();
  readonly #line = new Map<string, LineMagic>();

  registerCell(m: CellMagic): void {
    this.#cell.set(m.name, m);
  }

  registerLine(m: LineMagic): void {
    this.#line.set(m.name, m);
  }

  cell(name: string): CellMagic | undefined {
    return this.#cell.get(name);
  }

  line(name: string): LineMagic | undefined {
    return this.#line.get(name);
  }

  /** `%lsmagic`: the registered magics with their help. */
  describe(): string {
    const fmt = (prefix: string, ms: Iterable<CellMagic | LineMagic>) =>
      [...ms]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((m) => `  ${prefix}${m.name}${m.help ? `  — ${m.help}` : ""}`)
        .join("\n");
    return `Line magics:\n${fmt("%", this.#line.values())}\nCell magics:\n${fmt("%%", this.#cell.values())}\n`;
  }
}
