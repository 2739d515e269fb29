"""Matters, budget lines and the separation-of-duties engine (SPEC R-MAT)."""
