"""papermill support for the statarb TypeScript kernel.

Importing this package registers :class:`TypeScriptTranslator` for the ``statarb`` kernel and the
``typescript`` language. papermill has no entry-point group for translators, so the package declares
a ``papermill.engine`` entry point (``statarb_papermill.engine:StatarbEngine``, an ordinary nbclient
engine): papermill imports every engine entry point at start-up, which imports this package and
registers the translator (as sos-papermill does).
"""
from .translator import TypeScriptTranslator

__all__ = ["TypeScriptTranslator"]
