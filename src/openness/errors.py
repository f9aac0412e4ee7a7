"""The errors a user can cause, each carrying its exit code (docs/design.md, "Errors")."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class OpennessError(Exception):
    """Bad input: a one-line message for a person, exit code 2."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StoreError(OpennessError):
    """A store (--store) that cannot be opened or fails: exit code 4."""

    exit_code = 4


def suggest(given: str, choices: Iterable[str], n: int = 3) -> str:
    """A ' (did you mean ...?)' suffix naming the closest choices, or '' when none is close."""
    close = difflib.get_close_matches(given, list(choices), n=n, cutoff=0.5)
    return f" (did you mean {', '.join(close)}?)" if close else ""
