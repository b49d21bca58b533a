"""Pages of the accounting app under /accounting/: read by every role, settings changed by legal staff."""
