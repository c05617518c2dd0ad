"""Python start-up of an embedded sweep's Ray processes (the GCS client side, the dashboard, its agents,
the monitors, the workers): ``ray_runner.start_local_ray`` puts this folder first on PYTHONPATH, which they
inherit from the driver. Ray's processes import jsonschema, which imports the optional ``rfc3987_syntax``
for its "iri" format checker, and that module builds a Lark grammar at import: ~1.7 CPU-s in each of
Ray's Python processes, most of their start. Nothing there checks an "iri" format, so these processes go
without that checker. A ``sitecustomize`` further down the path (a distribution's) still runs.
"""
import sys

sys.modules.setdefault("rfc3987_syntax", None)


def _chain() -> None:
    import importlib.machinery
    import importlib.util
    import os

    here = os.path.dirname(os.path.abspath(__file__))
    rest = [p for p in sys.path if os.path.abspath(p or ".") != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    sys.modules["sitecustomize"] = module
    spec.loader.exec_module(module)


_chain()
