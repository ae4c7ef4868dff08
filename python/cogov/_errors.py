"""Exceptions of the cogov package."""

from __future__ import annotations


class ScenarioError(ValueError):
    """A scenario cogov cannot run: bad TOML, an unknown key, a wrong type, a value out of
    range, an impossible experiment.

    ``str(error)`` is the message the command line prints (without its ``error:``
    prefix): the file, line:column and key path, what is wrong and what is allowed, one
    line per problem. The place of the first problem is also given as data:

    Attributes:
        file: The scenario file as named in the message (``<string>`` for text given to
            :meth:`cogov.Scenario.from_toml`, ``(overrides)`` for
            :meth:`cogov.Scenario.with_overrides`).
        line: 1-based line of the offending value, or ``None`` when the file does not
            state the key (a default is at fault) or the file could not be read.
        column: 1-based column, or ``None`` as for ``line``.
        key_path: Dotted key path such as ``"world.party_share"``, or ``None`` for a
            syntax error.
    """

    file: str
    line: int | None
    column: int | None
    key_path: str | None

    def __init__(
        self,
        message: str,
        file: str,
        line: int | None = None,
        column: int | None = None,
        key_path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.column = column
        self.key_path = key_path

    def __reduce__(self):  # keep the attributes across processes
        return (type(self), (str(self), self.file, self.line, self.column, self.key_path))
