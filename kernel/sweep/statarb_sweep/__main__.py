"""``python -m statarb_sweep [--spec FILE] [--events-fd N]``: runs one sweep described by a JSON spec (from
FILE or stdin), writing progress events as JSON lines to file descriptor N (default: none). The user
command is ``npx statarb sweep`` (kernel/sweep/cli.ts), which builds the spec and renders the events.

Exit codes: 0 every run finished or was skipped, 1 some run failed, 2 the spec or grid was refused
(nothing started), 130 cancelled (Ctrl-C / SIGTERM).
"""
import argparse
import json
import os
import sys


def _die_with_parent() -> None:
    """The driver runs in its own process group (so a terminal's Ctrl-C reaches only the statarb command,
    which forwards one SIGINT); should that command die instead, the OS sends SIGTERM here, which cancels
    the sweep like Ctrl-C."""
    try:
        import ctypes
        import signal

        parent = os.getppid()
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m statarb_sweep")
    ap.add_argument("--spec", help="JSON spec file (default: read from stdin)")
    ap.add_argument("--events-fd", type=int, default=None)
    a = ap.parse_args(argv)
    if a.events_fd is not None:
        _die_with_parent()
    spec = json.load(open(a.spec, encoding="utf8") if a.spec else sys.stdin)
    events_stream = os.fdopen(a.events_fd, "w", buffering=1) if a.events_fd is not None else None
    from .driver import Events, run
    from .grid import GridError

    events = Events(events_stream)
    try:
        return run(spec, events)
    except GridError as e:
        events("refused", message=str(e))
        print(f"statarb sweep: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        events("done", summary={}, cancelled=True)
        return 130


if __name__ == "__main__":
    code = main()
    if code not in (0, 1):
        sys.exit(code)
    # The sweep ran to its end: Ray is stopped (ray.shutdown waited for its processes) and what outlived it
    # reaped, MLflow's store committed, sweep.json written, every event flushed. End without the interpreter's
    # teardown of Ray's, gRPC's and MLflow's modules and threads, which the statarb command otherwise waits for
    # (0.7-1.5 s after the last event). A cancelled or refused sweep ends as before.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
