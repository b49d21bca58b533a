"""benchmarks/pricing.py runs, and its accuracy checks cover every option and can fail (no timings)."""

import numpy as np
import pytest

from benchmarks import pricing


def test_a_price_error_beyond_the_bounds_is_caught():
    spot = np.array([3000.0, 3000.0, 3000.0])
    reference = np.array([1500.0, 2e-3, 1e-9])  # the last two are worth less than 1e-6 S
    assert pricing.accuracy(reference.copy(), reference, spot).holds
    relative = reference * np.array([1 + 1e-8, 1, 1])
    found = pricing.accuracy(relative, reference, spot)
    assert found.meaningful == 1
    assert found.max_relative == pytest.approx(1e-8)
    assert not found.holds
    # Far out of the money only the difference in units of S counts, however large relatively.
    tiny = reference + np.array([0.0, 0.0, 1e-9 * 3000.0])
    found = pricing.accuracy(tiny, reference, spot)
    assert found.max_relative == 0.0
    assert found.max_absolute_over_spot == pytest.approx(1e-9)
    assert not found.holds


def test_an_over_budget_quantlib_loop_is_timed_on_a_prefix_and_says_so(monkeypatch, capsys):
    monkeypatch.setattr(pricing, "QUANTLIB_BUDGET_SECONDS", 0.0)
    monkeypatch.setattr(pricing, "QUANTLIB_PREFIX", 40)
    result = pricing.measure(120, rounds=1, engine_sample=10, rng=np.random.default_rng(1))
    assert result.quantlib.options == 40
    assert result.vs_quantlib.compared == 120  # the accuracy still covers every option
    pricing.report(result)
    assert "one blackFormula loop over all 120 took" in capsys.readouterr().out


def test_every_option_is_compared_with_blackformula_and_the_floor():
    result = pricing.measure(300, rounds=2, engine_sample=25, rng=np.random.default_rng(2))
    assert (result.vs_quantlib.compared, result.vs_floor.compared, result.vs_engine.compared) == (
        300,
        300,
        25,
    )
    assert result.vs_quantlib.meaningful > 250  # most grants are worth more than 1e-6 S
    assert result.vs_quantlib.holds and result.vs_floor.holds and result.vs_engine.holds
    assert len(result.ours.runs) == len(result.floor.runs) == len(result.quantlib.runs) == 2
    assert len(result.ours.cpu_runs) == len(result.engine.cpu_runs) == 2
    assert result.quantlib.options == 300


def test_quick_run_prints_every_figure(capsys):
    assert pricing.main(["--quick"]) == 0
    out = capsys.readouterr().out
    for n in pricing.QUICK.sizes:
        assert f"\n{n:,} option" in out
    assert out.count("target <= 1.5x (CPU min): ") == len(pricing.QUICK.sizes)
    assert out.count("accuracy vs blackFormula") == len(pricing.QUICK.sizes)
    assert "OUT OF BOUNDS" not in out
    assert "Volatility over 20 years of daily closes" in out
