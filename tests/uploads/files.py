"""Real files of every kind, made in memory for the uploads tests."""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib

import pillow_heif
from PIL import Image

GPS = {1: "N", 2: (28.0, 12.0, 0.0), 3: "E", 4: (112.0, 58.0, 0.0)}


def image(fmt: str = "JPEG", size=(600, 400), *, gps: bool = False, orientation: int | None = None,
          colour=(200, 30, 30), **options) -> bytes:
    im = Image.new("RGB", size, colour)
    im.paste((20, 20, 220), (0, 0, size[0] // 2, size[1] // 4))  # a block at the top left, to see rotation
    exif = Image.Exif()
    if gps:
        exif[0x8825] = GPS
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    if gps or orientation:
        options["exif"] = exif.tobytes()
    im.save(out, fmt, **options)
    return out.getvalue()


def gif(frames: int = 1) -> bytes:
    ims = [Image.new("RGB", (64, 48), (i * 60, 255 - i * 60, 0)) for i in range(frames)]
    out = io.BytesIO()
    ims[0].save(out, "GIF", save_all=frames > 1, append_images=ims[1:], duration=100)
    return out.getvalue()


def heic(size=(640, 480)) -> bytes:
    out = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", size, (0, 128, 0))).save(out, quality=80)
    return out.getvalue()


def noise_jpeg(size=(2400, 1800), quality=97) -> bytes:
    """A photo-sized JPEG of noise: large (JPEG compresses noise badly)."""
    im = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    out = io.BytesIO()
    im.save(out, "JPEG", quality=quality)
    return out.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png_bomb(side: int = 100_000) -> bytes:
    """A tiny PNG whose header claims side x side pixels (10 billion at the default)."""
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"\0" * 1024))
            + _chunk(b"IEND", b""))


def pdf() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


_MAIN = {
    "docx": ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    "pptx": ("ppt/presentation.xml",
             "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"),
    "docm": ("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"),
}


def ooxml(kind: str, *, declare: bool = True, main_part: bool = True) -> bytes:
    part, content_type = _MAIN[kind]
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             'content-types"><Default Extension="xml" ContentType="application/xml"/>'
             + (f'<Override PartName="/{part}" ContentType="{content_type}"/>' if declare else "") + "</Types>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        if main_part:
            archive.writestr(part, "<document/>")
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return out.getvalue()


def _ole_entry(name: str, kind: int) -> bytes:
    encoded = name.encode("utf-16-le") + b"\0\0"
    return encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1) + b"\xff" * 12 + b"\0" * 48


def ole2(stream: str) -> bytes:
    """A compound file with a root entry and one stream: WordDocument (a .doc), Workbook (.xls),
    PowerPoint Document (.ppt), or anything else (e.g. an MSI installer's streams)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHH", 0x3E, 3, 0xFFFE)
    return header.ljust(512, b"\0") + _ole_entry("Root Entry", 5) + _ole_entry(stream, 2) + b"\0" * 256 + b"x" * 512


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\0" * 48 + b"This program cannot be run in DOS mode"
ELF = b"\x7fELF\x02\x01\x01" + b"\0" * 100
