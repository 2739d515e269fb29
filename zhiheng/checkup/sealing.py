"""The check-up's personal data — declarations, opinions, archive entries, exam answers — sealed under
CHECKUP_KEY_FILE (R-GATE-2 "encrypted at rest", "rotation supported": `services/keys.py`). The mechanism is
the core's (`zhiheng.core.sealing`); this module names the check-up's key file."""

from zhiheng.core.sealing import KeyFile, SealBroken

KEYS = KeyFile("CHECKUP_KEY_FILE")

read_keys, add_key, drop_old_keys = KEYS.read_keys, KEYS.add_key, KEYS.drop_old_keys
seal, unseal, reseal = KEYS.seal, KEYS.unseal, KEYS.reseal

__all__ = ["KEYS", "SealBroken", "add_key", "drop_old_keys", "read_keys", "reseal", "seal", "unseal"]
