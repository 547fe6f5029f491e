"""Lambda code of the asset backend: one module per operation, plus shared layers."""
