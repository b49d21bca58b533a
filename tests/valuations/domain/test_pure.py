"""The valuation maths imports no Django, so it runs (and is benchmarked) without a project."""

import subprocess
import sys


def test_valuations_domain_imports_no_django():
    code = (
        "import sys\n"
        "import valuations.domain.marketdata, valuations.domain.pricing\n"
        "import valuations.domain.problems, valuations.domain.rates, valuations.domain.volatility\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
