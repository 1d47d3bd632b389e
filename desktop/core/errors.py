"""Errors the user can fix. Their messages are Chinese and say what to do next.

Bugs are ordinary exceptions; anything derived from UserError is shown to the user as is
(a dialog in the GUI, stderr with exit code 2 in the CLI).
"""

from __future__ import annotations


class UserError(ValueError):
    """Bad input or a refused operation; the message tells the user what to fix."""


class NotFound(UserError):
    """A named thing (a person, a record) does not exist."""
