"""Bulk entry of holders and their allotments from a spreadsheet (docs/domain.md reading R58)."""
