"""Look inside a PDF without a PDF library: inflate every stream and search the raw objects."""

import re
import zlib

STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def pdf_objects(content: bytes) -> bytes:
    """The PDF's bytes with every Flate-compressed stream (object streams included) inflated."""
    parts = [content]
    for match in STREAM.finditer(content):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def embedded_fonts(content: bytes) -> set[str]:
    """Names of the fonts whose programs are embedded (a FontDescriptor with a FontFile)."""
    objects = pdf_objects(content)
    names = set()
    for descriptor in re.finditer(rb"<<[^<>]*?/Type\s*/FontDescriptor.*?>>", objects, re.S):
        text = descriptor.group(0)
        if re.search(rb"/FontFile[23]?\s", text):
            name = re.search(rb"/FontName\s*/([^\s/<>\[\]]+)", text)
            if name:
                names.add(name.group(1).decode("latin-1").split("+", 1)[-1])
    return names
