"""Look inside a PDF without a PDF library: inflate every stream and search the raw objects."""

import re
import zlib

STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def _inflate(data: bytes) -> bytes:
    """Inflate a Flate stream. The pattern above takes an optional CR before "endstream" as the
    line end, but compressed data may itself end with a CR byte: then it is given back."""
    try:
        return zlib.decompress(data)
    except zlib.error:
        return zlib.decompress(data + b"\r")


def pdf_objects(content: bytes) -> bytes:
    """The PDF's bytes with every Flate-compressed stream (object streams included) inflated."""
    parts = [content]
    for match in STREAM.finditer(content):
        try:
            parts.append(_inflate(match.group(1)))
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


OBJECT = re.compile(rb"(\d+)\s+0\s+obj\b(.*?)\bendobj", re.S)
REFERENCE = rb"(\d+)\s+0\s+R"


def _objects(content: bytes) -> tuple[dict[int, bytes], dict[int, bytes]]:
    """Every indirect object's dictionary text and, for a stream, its inflated data; objects packed
    in object streams (/Type /ObjStm) are unpacked."""
    texts: dict[int, bytes] = {}
    streams: dict[int, bytes] = {}
    for match in OBJECT.finditer(content):
        number, body = int(match.group(1)), match.group(2)
        stream = STREAM.search(body)
        if stream is None:
            texts[number] = body
            continue
        texts[number] = body[: stream.start()]
        data = stream.group(1)
        if b"/FlateDecode" in texts[number]:
            try:
                data = _inflate(data)
            except zlib.error:
                continue
        streams[number] = data
    for number, head in list(texts.items()):
        if b"/ObjStm" not in head or number not in streams:
            continue
        first = int(re.search(rb"/First\s+(\d+)", head).group(1))
        data = streams[number]
        header = [int(n) for n in data[:first].split()]
        pairs = list(zip(header[::2], header[1::2], strict=True))
        for index, (inner, offset) in enumerate(pairs):
            end = pairs[index + 1][1] if index + 1 < len(pairs) else len(data) - first
            texts[inner] = data[first + offset : first + end]
    return texts, streams


def _hex_text(code: bytes) -> str:
    raw = bytes.fromhex(code.decode("ascii"))
    return raw.decode("utf-16-be", errors="replace")


def _to_unicode(cmap: bytes) -> tuple[dict[bytes, str], int]:
    """A ToUnicode CMap as {code in hex (lower case): text} and the width of a code in hex digits."""
    space = re.search(rb"begincodespacerange\s*<([0-9a-fA-F]+)>", cmap)
    width = len(space.group(1)) if space else 4
    table: dict[bytes, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
            table[code.lower()] = _hex_text(text)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for start, end, target in re.findall(
            rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]*>|\[[^\]]*\])", block
        ):
            low, high = int(start, 16), int(end, 16)
            if target.startswith(b"["):
                targets = re.findall(rb"<([0-9a-fA-F]*)>", target)
                for offset, text in enumerate(targets[: high - low + 1]):
                    table[b"%0*x" % (len(start), low + offset)] = _hex_text(text)
            else:
                base = int(target[1:-1], 16)
                for offset in range(high - low + 1):
                    table[b"%0*x" % (len(start), low + offset)] = chr(base + offset)
    return table, width


def pdf_text(content: bytes) -> list[str]:
    """The text of a PDF, one string per text-showing operation (a table cell's line, a heading...),
    in the order drawn; glyphs are mapped back to characters through each font's ToUnicode CMap."""
    texts, streams = _objects(content)
    fonts: dict[bytes, tuple[dict[bytes, str], int]] = {}  # the font's resource name -> its CMap
    for head in texts.values():
        for ref_or_dict in re.findall(rb"/Font\s*(" + REFERENCE + rb"|<<.*?>>)", head, re.S):
            body = ref_or_dict[0]
            if ref_or_dict[1]:
                body = texts.get(int(ref_or_dict[1]), b"")
            for name, number in re.findall(rb"/([^\s/<>\[\]()]+)\s*" + REFERENCE, body):
                unicode_ref = re.search(rb"/ToUnicode\s*" + REFERENCE, texts.get(int(number), b""))
                if unicode_ref and int(unicode_ref.group(1)) in streams:
                    fonts[name] = _to_unicode(streams[int(unicode_ref.group(1))])
    shown: list[str] = []
    operation = re.compile(
        rb"/([^\s/<>\[\]()]+)\s+[-\d.]+\s+Tf|\[((?:[^\]\\]|\\.)*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj"
    )
    for number, data in streams.items():
        if b"/FontFile" in texts.get(number, b"") or b" Tf" not in data:
            continue
        table: dict[bytes, str] = {}
        width = 4
        for match in operation.finditer(data):
            if match.group(1) is not None:
                table, width = fonts.get(match.group(1), ({}, 4))
                continue
            codes = b"".join(re.findall(rb"<([0-9a-fA-F]*)>", match.group(2) or b"")) or (
                match.group(3) or b""
            )
            codes = codes.lower()
            shown.append(
                "".join(table.get(codes[i : i + width], "\ufffd") for i in range(0, len(codes), width))
            )
    return shown


def squeeze(text: str) -> str:
    """The text without whitespace: a PDF breaks a table cell's text into lines wherever it wraps."""
    return re.sub(r"\s+", "", text)


def pdf_plain_text(content: bytes) -> str:
    """All of a PDF's text run together without whitespace, to look for a row's cells in order:
    ``squeeze("Ichiro Sample 25") in pdf_plain_text(pdf)``."""
    return squeeze("".join(pdf_text(content)))
