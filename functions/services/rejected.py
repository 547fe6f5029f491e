"""The one exception that ends an upload `failed`: its message is shown to clients as the asset's `error`."""


class Rejected(Exception):
    """The file is corrupt, truncated, disallowed or not what it claims to be.

    The message is a fixed sentence of ours, never a parser's own text: that can hold memory addresses,
    paths or bytes of the hostile file itself.
    """

    def __init__(self, message: str, reason: str = "corrupt"):
        if reason not in REASONS:
            raise ValueError(f"unknown reason {reason!r}")
        super().__init__(message)
        self.reason = reason
        """A short code for the metrics (`UploadFailed` by `reason`): one of `REASONS`."""


REASONS = ("corrupt", "disallowed", "mismatch", "empty", "too_large", "changed", "checksum", "crashed")
"""Why uploads fail, as the dashboard counts them."""
