"""Inspection groups' unannounced checks on a unit (R-SUP-2): a time-boxed read grant, every read logged in
the ledger, a reproducible weighted sample of what to look at, and findings tracked to rectification."""
