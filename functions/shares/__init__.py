"""Shares: public links to assets or a folder, and what those links serve."""
