"""Reads of the accounting app: the ledger, lots, exercises and valuations, turned into the year-end
figures. Each page's data in a fixed number of queries, never one per row."""
