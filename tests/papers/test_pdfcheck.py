"""The PDF reader the paper tests use: a compressed stream whose last byte is a CR is read whole."""

import zlib

from .pdfcheck import pdf_objects


def test_a_stream_ending_with_a_carriage_return_inflates():
    payload = next(
        text for n in range(100_000) if zlib.compress(text := f"BT (line {n}) Tj ET".encode()).endswith(b"\r")
    )
    pdf = b"1 0 obj\n<</Filter /FlateDecode>>\nstream\n" + zlib.compress(payload) + b"\nendstream\nendobj\n"
    assert payload in pdf_objects(pdf)
