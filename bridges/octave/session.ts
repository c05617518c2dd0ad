/**
 * `OctaveSession`: a long-lived `octave-cli` running bridges/octave/statarb_server.m through the
 * shared `StdioBridgeSession`. Octave runs interactive (-i, prompts blanked) so that an interrupt
 * unwinds to its prompt and the session re-enters the server instead of losing the workspace.
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
    args: ["--no-gui", "--quiet", "--norc", "--no-history", "--no-line-editing", "--interactive"],
    initialInput:
      // no octave-workspace dump in the notebook's folder when the session is killed or ends on a signal
      "crash_dumps_octave_core(false); sighup_dumps_octave_core(false); sigterm_dumps_octave_core(false); " +
      "more off; PS1(''); PS2(''); page_screen_output(false); set(0, 'defaultfigurevisible', 'off'); " +
      "if any(strcmp(available_graphics_toolkits(), 'gnuplot')) graphics_toolkit('gnuplot'); end; " +
      `addpath('${dir()}'); statarb_server('{fifo}');\n`,
  }),
  resumeAfterInterrupt: "statarb_server();\n",
};

export class OctaveSession extends StdioBridgeSession {
  constructor(options: SessionOptions = {}) {
    super(OCTAVE_IMPL, options);
  }
}

/** A new Octave session (started on first use). */
export function octaveSession(options?: SessionOptions): OctaveSession {
  return new OctaveSession(options);
}
