/**
 * `OctaveSession`: a long-lived `octave-cli` running bridges/octave/statarb_server.m through the
 * shared `StdioBridgeSession`: requests on a FIFO, responses on another, stdin /dev/null. Octave runs
 * interactive (-i) so that an interrupt unwinds (instead of ending the process) and the server, in an
 * unwind_protect cleanup, answers the call and serves on: the workspace survives.
 * Octave's own messages come back as `OctaveError` ("error: 'foo' undefined").
 */
import { bridgesPath } from "../core/paths.js";
import { type SessionImpl, type SessionOptions, StdioBridgeSession } from "../core/session.js";

const dir = (): string => bridgesPath("octave").replace(/'/g, "''");

const OCTAVE_IMPL: SessionImpl = {
  language: "Octave",
  executable: "octave-cli",
  notInstalled: "Octave is not installed (no octave-cli on PATH): install the Debian package octave (and gnuplot-nox for plots); bash scripts/setup does",
  spec: (exe) => ({
    file: exe,
    // requests on their own FIFO and stdin /dev/null: user code cannot read protocol bytes, and the
    // shadows in nostdin/ turn keyboard and stdin reads into a clear error
    args: ["--no-gui", "--quiet", "--norc", "--no-history", "--no-line-editing", "--interactive", "--eval", startCode()],
    requestFifo: true,
  }),
};

/** What Octave runs at start (the FIFOs' paths are filled in by the transport). */
function startCode(): string {
  return (
    // no octave-workspace dump in the notebook's folder when the session is killed or ends on a signal
    "crash_dumps_octave_core(false); sighup_dumps_octave_core(false); sigterm_dumps_octave_core(false); " +
    "more off; page_screen_output(false); set(0, 'defaultfigurevisible', 'off'); " +
    "if any(strcmp(available_graphics_toolkits(), 'gnuplot')) graphics_toolkit('gnuplot'); end; " +
    `warning('off', 'Octave:shadowed-function'); addpath('${dir()}'); addpath('${dir()}/nostdin'); ` +
    "statarb_server('{fifo}', '{requests}');"
  );
}

export class OctaveSession extends StdioBridgeSession {
  constructor(options: SessionOptions = {}) {
    super(OCTAVE_IMPL, options);
  }
}

/** A new Octave session (started on first use). */
export function octaveSession(options?: SessionOptions): OctaveSession {
  return new OctaveSession(options);
}
