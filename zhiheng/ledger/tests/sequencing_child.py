"""A process of the kill -9 proof of batched sequencing (test_sequencing_pg.py), killed at random moments.

    python -m zhiheng.ledger.tests.sequencing_child writer <id>   # record forever, one entry a transaction
    python -m zhiheng.ledger.tests.sequencing_child integrator    # integrate forever

A writer commits, in one transaction, a domain row (ledger_seq_domain: writer, seq) and the entry that
records it (payload {"writer", "seq"}), then — as the product does — integrates after the commit, then
prints the seq it has seen committed. The parent compares domain rows, entries and acknowledgements.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    from django.db import connection, transaction

    from zhiheng import ledger
    from zhiheng.ledger.services import sequencing

    assert sequencing.batched(), "the child runs with ZHIHENG_TEST_LEDGER_SEQUENCING=batched"
    role = sys.argv[1]
    print("ready", flush=True)
    if role == "integrator":
        while True:
            sequencing.integrate_all()
    writer = int(sys.argv[2])
    seq = 0
    while True:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO ledger_seq_domain (writer, seq) VALUES (%s, %s)", [writer, seq])
            ledger.record("ledger.note", subject=f"writer:{writer}", payload={"writer": writer, "seq": seq})
        print(seq, flush=True)  # committed (and integrated, unless the integration failed)
        seq += 1


if __name__ == "__main__":
    main()
