/**
 * `RSession`: a long-lived Rscript running bridges/r/server.R, driven through the shared
 * `StdioBridgeSession` (framed requests on stdin, responses on a FIFO, binary float64 payloads).
 * R's own messages come back as `RError` ("Error in log(\"a\") : non-numeric argument …").
 */
import { bridgesPath } from "../core/paths.js";
import { type SessionImpl, type SessionOptions, StdioBridgeSession } from "../core/session.js";

const R_IMPL: SessionImpl = {
  language: "R",
  executable: "Rscript",
  notInstalled: "R is not installed (no Rscript on PATH): install the Debian packages r-base-core and r-cran-jsonlite (bash scripts/setup does)",
  spec: (exe) => ({ file: exe, args: ["--vanilla", bridgesPath("r/server.R"), "{fifo}", "{requests}"], requestFifo: true }),
};

export class RSession extends StdioBridgeSession {
  constructor(options: SessionOptions = {}) {
    super(R_IMPL, options);
  }

  /**
   * Sources `bridges/r/<file>` into the bridge's environment unless `probe` (a function it defines)
   * already exists, so it is loaded once per interpreter, again after a restart.
   */
  async load(file: string, probe: string): Promise<void> {
    const path = JSON.stringify(bridgesPath(`r/${file}`));
    await this.eval(`if (!exists(${JSON.stringify(probe)}, mode = "function")) sys.source(${path}, envir = as.environment("statarb:bridge"), keep.source = FALSE)`);
  }
}

/** A new R session (started on first use). */
export function rSession(options?: SessionOptions): RSession {
  return new RSession(options);
}
