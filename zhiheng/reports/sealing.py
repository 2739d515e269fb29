"""What reporters write and who they are, sealed under REPORTS_KEY_FILE (R-SUP-3 "encrypted at rest"): the
subject and body of a report, every message, a case's reasons, attachments, and — in a field of its own,
opened only by a case's named handlers — the reporter's name and contact. The key file is apart from the
check-up's, so the check-up's key opens no report. The mechanism, rotation included, is the core's
(`zhiheng.core.sealing`); `services/keys.py` rotates."""

from zhiheng.core.sealing import KeyFile, SealBroken

KEYS = KeyFile("REPORTS_KEY_FILE")

read_keys, add_key, drop_old_keys = KEYS.read_keys, KEYS.add_key, KEYS.drop_old_keys
seal, unseal, reseal = KEYS.seal, KEYS.unseal, KEYS.reseal
seal_bytes, unseal_bytes = KEYS.seal_bytes, KEYS.unseal_bytes

__all__ = [
    "KEYS",
    "SealBroken",
    "add_key",
    "drop_old_keys",
    "read_keys",
    "reseal",
    "seal",
    "seal_bytes",
    "unseal",
    "unseal_bytes",
]
