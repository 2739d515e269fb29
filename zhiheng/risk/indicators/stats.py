"""Exact tests the red flags use, in the standard library only (no SciPy in the project)."""

from __future__ import annotations

from fractions import Fraction

# Benford's first-digit law: P(d) = log10(1 + 1/d).
from math import comb, log10

BENFORD = tuple(log10(1 + 1 / d) for d in range(1, 10))


def binomial_upper_tail(k: int, n: int, p: Fraction | float = Fraction(1, 2)) -> float:
    """P(X ≥ k) for X ~ Binomial(n, p), exactly (rational arithmetic for p = 1/2; floats otherwise)."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    if isinstance(p, Fraction) and p == Fraction(1, 2):
        return float(Fraction(sum(comb(n, i) for i in range(k, n + 1)), 2**n))
    q = 1 - float(p)
    return min(1.0, sum(comb(n, i) * float(p) ** i * q ** (n - i) for i in range(k, n + 1)))


def first_digit(amount: float) -> int:
    """The first significant digit of a positive amount (≥ 1: its integer part's first character)."""
    if amount >= 1:
        return int(str(int(amount))[0])
    return int(f"{amount:.6e}"[0])


def benford_mad(counts: list[int]) -> float:
    """Nigrini's mean absolute deviation of observed first-digit shares from Benford's (digits 1–9)."""
    n = sum(counts)
    return sum(abs(c / n - e) for c, e in zip(counts, BENFORD, strict=True)) / 9
