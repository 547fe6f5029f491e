"""The one exception that ends an upload `failed`: its message is shown to clients as the asset's `error`."""


class Rejected(Exception):
    """The file is corrupt, truncated, disallowed or not what it claims to be.

    The message is a fixed sentence of ours, never a parser's own text: that can hold memory addresses,
    paths or bytes of the hostile file itself.
    """
