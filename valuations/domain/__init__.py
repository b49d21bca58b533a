"""The valuation maths, notice (12): pure Python, no Django, so it can be tested and benchmarked alone."""
