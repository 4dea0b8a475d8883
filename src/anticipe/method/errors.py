"""Errors raised by the method core."""


class MethodInputError(ValueError):
    """Input that the method cannot compute on.

    The message says what is wrong in the caller's terms (factor codes, expert
    labels, cell positions), so the study layer and the command line can show it
    as it is.
    """
