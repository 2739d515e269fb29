"""Zhiheng 制衡: the principal does not sign; deputies decide; the team decides together; all on record."""
