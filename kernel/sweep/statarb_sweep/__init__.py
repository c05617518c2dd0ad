"""statarb sweeps: a grid of parameter sets, each one a papermill run of a statarb notebook executed as a
Ray task (embedded local Ray, or a cluster), every run tracked in MLflow.

The command line is ``npx statarb sweep`` (bin/statarb.js → dist/kernel/sweep/cli.js), which hands a JSON
spec to ``python -m statarb_sweep`` and renders the progress events it writes; see kernel/sweep/README.md.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
