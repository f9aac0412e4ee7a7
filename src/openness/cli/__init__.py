"""The command line: one thin Click module per command group over the library's functions.

`main` (the `openness` script) and `cli` (the Click group) live in `main`; `common` holds the shared
options, error guard and output helpers; `output` renders query results. May import every other
package; nothing imports it.
"""

from .main import cli, main

__all__ = ["cli", "main"]
