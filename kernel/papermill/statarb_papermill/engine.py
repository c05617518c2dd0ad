"""The ``statarb`` papermill engine: papermill's nbclient engine under its own name. papermill loads it
(through the ``papermill.engine`` entry point) while papermill itself is still importing, which is
what registers the TypeScript translator; so this module imports only what papermill has defined by
then, and the translator module registers itself when it finishes importing."""
from papermill.engines import NBClientEngine

from . import translator  # noqa: F401  (registers the translator; may still be importing when papermill is imported first)


class StatarbEngine(NBClientEngine):
    """papermill's default engine; ``--engine statarb`` works too."""
