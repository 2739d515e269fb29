"""Analytics settings (filled in below)."""
