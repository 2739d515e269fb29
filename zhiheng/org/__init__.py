"""Districts, units, leadership teams and terms of office (SPEC R-ORG)."""
