"""Receipts carry ≥ 80 bits, read aloud in groups, and a passphrase is checked in constant time (pure)."""

from __future__ import annotations

import re

from zhiheng.reports import receipts


def test_a_receipt_has_at_least_80_bits():
    code = receipts.new_receipt()
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}", code), code
    symbols = code.replace("-", "")
    assert set(symbols) <= set(receipts.ALPHABET)
    assert len(set(receipts.ALPHABET)) == 32
    assert receipts.entropy_bits(receipts.ALPHABET, len(symbols)) == 100 >= 80
    assert receipts.entropy_bits(receipts.ALPHABET, receipts.PASSPHRASE_GROUPS * receipts.GROUP) == 80


def test_receipts_do_not_repeat():
    assert len({receipts.new_receipt() for _ in range(2000)}) == 2000


def test_a_receipt_typed_loosely_still_matches():
    code = receipts.new_receipt()
    assert receipts.digest(code.lower().replace("-", " ")) == receipts.digest(code)
    assert receipts.digest("O1L0-IIII") == receipts.digest("0110-1111")


def test_passphrases_are_hashed_with_salt_and_checked():
    stored = receipts.hash_passphrase("天上下雨地上滑-42")
    assert "天上" not in stored and stored.startswith("scrypt$")
    assert stored != receipts.hash_passphrase("天上下雨地上滑-42")
    assert receipts.check_passphrase("天上下雨地上滑-42", stored)
    assert not receipts.check_passphrase("天上下雨地上滑-43", stored)
    assert not receipts.check_passphrase("anything", None)
