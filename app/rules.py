class RuleError(ValueError):
    """A business rule refused a change; the message is for the user (Vietnamese)."""


class StaleEdit(Exception):
    """Someone saved the record since this form was opened; nothing was overwritten.
    `current` is the record as saved now, for the page that shows both versions."""

    def __init__(self, current):
        self.current = current
