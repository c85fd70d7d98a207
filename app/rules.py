class RuleError(ValueError):
    """A business rule refused a change; the message is for the user (Vietnamese)."""
