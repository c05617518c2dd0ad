"""statarb sweeps: a grid of parameter sets, each one a papermill run of a statarb notebook executed as a
Ray task (embedded local Ray, or a cluster), every run tracked in MLflow.

The command line is ``npx statarb sweep`` (bin/statarb.js → dist/kernel/sweep/cli.js), which hands a JSON
spec to ``python -m statarb_sweep`` and renders the progress events it writes; see kernel/sweep/README.md.
"""

import sys

# jsonschema (imported by nbformat in the driver and in every Ray worker) imports the optional
# rfc3987_syntax for its "iri" format checker, which builds a Lark grammar at import: ~1.7 CPU-s per
# process, paid before each sweep's first run. Nothing the sweep validates uses formats (nbformat's
# schemas have none, and nbformat checks no format), so the sweep's processes go without that checker.
sys.modules.setdefault("rfc3987_syntax", None)

__all__ = ["__version__"]
__version__ = "0.1.0"
