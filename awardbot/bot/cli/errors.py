"""The one exception an operator sees: a single line, exit status 2."""


class OperatorError(Exception):
    """A problem the operator can fix (a setting, a file, the database)."""
