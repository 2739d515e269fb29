"""The indicators are pure (issue 15): importing them loads no Django, no ORM, no other app."""

import subprocess
import sys

MODULES = ["rf2", "rf4", "rf5", "rf6", "rf7", "rf8", "rf9", "rf10", "rf11", "stats", "common"]


def test_importing_every_indicator_loads_no_django_and_no_other_app():
    code = (
        "import sys\n"
        + "".join(f"import zhiheng.risk.indicators.{m}\n" for m in MODULES)
        + "print(' '.join(sorted(m for m in sys.modules if m.startswith(('django', 'zhiheng')))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = set(out.split())
    assert not {m for m in loaded if m == "django" or m.startswith("django.")}
    # The packages above the indicators (their __init__ holds only a docstring) and the indicators.
    assert loaded - {"zhiheng", "zhiheng.risk"} == {f"zhiheng.risk.indicators.{m}" for m in MODULES} | {
        "zhiheng.risk.indicators"
    }


def test_the_columnar_scan_loads_no_django_either():
    code = (
        "import sys\nimport zhiheng.risk.columnar\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith(('django', 'zhiheng')))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = set(out.split())
    assert not {m for m in loaded if m == "django" or m.startswith("django.")}
    assert "zhiheng.risk.columnar" in loaded
