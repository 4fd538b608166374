"""What a file is, read from its bytes, never its name (SPC-4), and what is kept of it.

Images: JPEG, PNG, GIF, WebP and HEIC (kept as JPEG). Each is decoded with a pixel budget checked from the
header before any decoding (a decompression bomb fails fast), turned upright (EXIF orientation) and written
again without its metadata (EXIF, GPS). Up to 4 MB is kept; a larger one, up to 20 MB, is re-encoded as a
JPEG in quality steps and then downscaled until it fits under 4 MB, or refused saying why. Every image gets
a JPEG thumbnail.
Documents: PDF; Word, Excel and PowerPoint as OOXML (a zip with [Content_Types].xml declaring the main part,
which must exist) or as legacy OLE2 files (with the main stream in the directory). Anything else (SVG, HTML,
executables, archives, macro-enabled Office files) is refused."""

from __future__ import annotations

import io
import os
import re
import warnings
import zipfile
from dataclasses import dataclass

import pillow_heif
from PIL import Image, ImageOps

from renrentong.core.errors import UserFacingError

pillow_heif.register_heif_opener()
# Pillow warns of a possible decompression bomb (over 89 million pixels) and still decodes it; here the
# warning is an error, for every open in the process (a filter set once: catch_warnings is not thread-safe).
warnings.filterwarnings("error", category=Image.DecompressionBombWarning)

IMAGE_LIMIT = 4 * 1024 * 1024  # images kept as they are (after metadata is removed)
DOCUMENT_LIMIT = 20 * 1024 * 1024  # the largest upload of any kind; images over IMAGE_LIMIT are re-encoded
# Our own pixel budget, checked from the header before decoding: 50 million pixels covers a 48 MP phone
# photo; Pillow's default (89 million, an error only at twice that) is too generous for a web worker.
MAX_PIXELS = 50_000_000
MAX_FRAME_PIXELS = 200_000_000  # all frames of an animation together
THUMBNAIL_SIDE = 320
_QUALITY_STEPS = (85, 75, 65, 55)
_SMALLEST_SIDE = 1024  # downscaling stops here: smaller would not be worth keeping

# The magic bytes that say which image decoder may look at the bytes at all; Pillow then has to agree.
_HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}
_IMAGE_TYPES = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "GIF": ("image/gif", ".gif"),
    "WEBP": ("image/webp", ".webp"),
}
JPEG = ("image/jpeg", ".jpg")
_ORIENTATION = 0x0112
_ANIMATION_KEYS = ("duration", "loop", "background", "timestamp")

_OOXML = {
    # main part name, the content type [Content_Types].xml must declare for it, what we serve it as
    "word/document.xml": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                          "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xl/workbook.xml": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "ppt/presentation.xml": ("application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
                             "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"),
}
_CONTENT_TYPES_LIMIT = 1024 * 1024  # [Content_Types].xml is a few kB; a bigger one is not an Office file
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE2 = [
    # the main stream's directory name, content type, extension
    ("WordDocument", "application/msword", ".doc"),
    ("Workbook", "application/vnd.ms-excel", ".xls"),
    ("Book", "application/vnd.ms-excel", ".xls"),
    ("PowerPoint Document", "application/vnd.ms-powerpoint", ".ppt"),
]


@dataclass(frozen=True)
class Checked:
    data: bytes
    kind: str  # image | document
    content_type: str
    extension: str
    name: str
    width: int | None = None
    height: int | None = None
    thumbnail: bytes | None = None  # a JPEG, for images
    reencoded: bool = False  # made smaller to fit IMAGE_LIMIT


def clean_name(name: str, extension: str) -> str:
    """The name shown and given to the download: the user's stem, our extension (the type decides it)."""
    stem = os.path.splitext(os.path.basename((name or "").replace("\\", "/")))[0]
    stem = re.sub(r"[\x00-\x1f\x7f/\\\"<>|:*?;]", "", stem).strip(" .")[:100] or "file"
    return stem + extension


def megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def check(data: bytes, name: str) -> Checked:
    """The kept form of an upload, or a UserFacingError saying why not (never another exception)."""
    if len(data) > DOCUMENT_LIMIT:
        raise UserFacingError("uploads.too_large", size=megabytes(len(data)), limit=megabytes(DOCUMENT_LIMIT))
    image_format = sniff_image(data)
    if image_format:
        return _image(data, name, image_format)
    document = sniff_document(data)
    if document:
        content_type, extension = document
        return Checked(data, "document", content_type, extension, clean_name(name, extension))
    raise UserFacingError("uploads.type_refused")


# -- sniffing ------------------------------------------------------------------------------------------

def sniff_image(data: bytes) -> str | None:
    """The Pillow format the magic bytes claim, or None."""
    if data[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIC_BRANDS:
        return "HEIF"
    return None


def sniff_document(data: bytes) -> tuple[str, str] | None:
    if data[:5] == b"%PDF-":
        return "application/pdf", ".pdf"
    if data[:4] == b"PK\x03\x04":
        return _ooxml(data)
    if data[:8] == _OLE2_MAGIC:
        return _ole2(data)
    return None


def _ooxml(data: bytes) -> tuple[str, str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _CONTENT_TYPES_LIMIT:
                return None
            # Read as bytes and searched, never parsed as XML (no entity expansion to worry about).
            declared = archive.read(info)[:_CONTENT_TYPES_LIMIT]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        return None
    for part, (main_type, content_type, extension) in _OOXML.items():
        if part in names and main_type.encode() in declared:
            return content_type, extension
    return None  # incl. macro-enabled files (docm, xlsm, pptm), whose main part has another content type


def _ole2(data: bytes) -> tuple[str, str] | None:
    """A legacy Office file: an OLE2 compound file whose directory holds the main stream. Directory entries
    are 128 bytes at 128-byte boundaries after the header: a UTF-16 name, its byte length, type 2 (stream).
    An MSI installer or another compound file has no such stream and is refused."""
    wanted = {name.encode("utf-16-le"): (content_type, extension) for name, content_type, extension in _OLE2}
    for offset in range(512, len(data) - 127, 128):
        entry = data[offset:offset + 128]
        if entry[66] != 2:
            continue
        length = int.from_bytes(entry[64:66], "little")
        if not 2 <= length <= 64 or length % 2:
            continue
        found = wanted.get(entry[:length - 2])
        if found and entry[length - 2:length] == b"\0\0":
            return found
    return None


# -- images --------------------------------------------------------------------------------------------

def _open(data: bytes, image_format: str) -> Image.Image:
    """Open lazily (header only), refusing a decompression bomb before any pixel is decoded."""
    image = None
    try:
        image = Image.open(io.BytesIO(data), formats=[image_format])
        width, height = image.size
        frames = getattr(image, "n_frames", 1) or 1  # counting frames reads their headers, not their pixels
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _close(image)
        raise UserFacingError("uploads.bomb") from None
    except Exception:  # whatever a decoder raises on hostile bytes: not an image we can read
        _close(image)
        raise UserFacingError("uploads.unreadable") from None
    if width < 1 or height < 1:
        image.close()
        raise UserFacingError("uploads.unreadable")
    if width * height > MAX_PIXELS or width * height * frames > MAX_FRAME_PIXELS:
        image.close()
        raise UserFacingError("uploads.bomb")
    return image


def _close(image: Image.Image | None) -> None:
    if image is not None:
        try:
            image.close()
        except Exception:
            pass


def _image(data: bytes, name: str, image_format: str) -> Checked:
    image = _open(data, image_format)
    try:
        return _keep_image(data, name, image_format, image)
    except UserFacingError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UserFacingError("uploads.bomb") from None
    except MemoryError:
        raise UserFacingError("uploads.bomb") from None
    except Exception:  # a truncated or damaged image fails while decoding
        raise UserFacingError("uploads.unreadable") from None
    finally:
        image.close()


def _keep_image(data: bytes, name: str, image_format: str, image: Image.Image) -> Checked:
    animated = getattr(image, "is_animated", False)
    if image_format == "GIF":
        # A GIF carries no EXIF; it is kept byte for byte (animations stay animated) when small enough.
        image.seek(0)
        frame = image.convert("RGBA")
        if len(data) <= IMAGE_LIMIT:
            return _checked(data, name, _IMAGE_TYPES["GIF"], frame)
        if animated:
            raise UserFacingError("uploads.too_large", size=megabytes(len(data)), limit=megabytes(IMAGE_LIMIT))
        return _smaller(frame, name, len(data))
    if animated:  # an animated WebP: written again, all frames, without its metadata
        if len(data) > IMAGE_LIMIT:
            raise UserFacingError("uploads.too_large", size=megabytes(len(data)), limit=megabytes(IMAGE_LIMIT))
        out = io.BytesIO()
        image.info = {k: v for k, v in image.info.items() if k in _ANIMATION_KEYS}  # no EXIF or XMP
        image.save(out, "WEBP", save_all=True, lossless=False, quality=85)
        image.seek(0)
        return _checked(out.getvalue(), name, _IMAGE_TYPES["WEBP"], image.convert("RGBA"))
    image.load()
    upright = ImageOps.exif_transpose(image)
    if image_format == "HEIF":
        return _as_jpeg(upright, name, len(data))
    if len(data) > IMAGE_LIMIT:
        return _smaller(upright, name, len(data))
    kept = _without_metadata(upright, image_format, image)
    if len(kept) > IMAGE_LIMIT:  # a PNG written again can grow
        return _smaller(upright, name, len(data))
    return _checked(kept, name, _IMAGE_TYPES[image_format], upright)


def _without_metadata(upright: Image.Image, image_format: str, original: Image.Image) -> bytes:
    """The image written again with no EXIF, XMP, comments or text chunks; only the colour profile (and a
    PNG's transparency) is kept."""
    out = io.BytesIO()
    options: dict[str, object] = {}
    icc = original.info.get("icc_profile")
    if icc:
        options["icc_profile"] = icc
    if image_format == "JPEG":
        turned = original.getexif().get(_ORIENTATION, 1) not in (0, 1)
        if not turned and original.mode in ("L", "RGB", "CMYK"):
            # The original quantisation and subsampling: written again with no visible loss.
            image, options["quality"], options["subsampling"] = original, "keep", "keep"
        else:
            image, options["quality"] = (upright if upright.mode in ("L", "RGB", "CMYK") else _rgb(upright)), 90
    elif image_format == "PNG":
        image = upright
        if "transparency" in original.info:
            options["transparency"] = original.info["transparency"]
    else:  # WEBP
        image = upright
        options.update(lossless=original.info.get("compression") == "lossless", quality=90)
    image.info = {}  # what a writer would copy from the decoded file: EXIF, XMP, comments
    image.save(out, "WEBP" if image_format == "WEBP" else image_format, **options)
    return out.getvalue()


def _rgb(image: Image.Image) -> Image.Image:
    """A JPEG has no alpha: transparency is laid on white."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB") if image.mode != "RGB" else image


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


def _as_jpeg(upright: Image.Image, name: str, original_size: int) -> Checked:
    """A HEIC photo is kept as a JPEG, which every phone and browser shows."""
    rgb = _rgb(upright)
    data = _jpeg(rgb, 90)
    if len(data) <= IMAGE_LIMIT:
        return _checked(data, name, JPEG, rgb)
    return _smaller(rgb, name, original_size)


def _smaller(image: Image.Image, name: str, original_size: int) -> Checked:
    """Re-encode as JPEG under IMAGE_LIMIT: quality steps first, then downscaling; or refuse saying why."""
    rgb = _rgb(image)
    for quality in _QUALITY_STEPS:
        data = _jpeg(rgb, quality)
        if len(data) <= IMAGE_LIMIT:
            return _checked(data, name, JPEG, rgb, reencoded=True)
    scaled = rgb
    while max(scaled.size) * 3 // 4 >= _SMALLEST_SIDE:
        width, height = scaled.size
        scaled = rgb.resize((max(1, width * 3 // 4), max(1, height * 3 // 4)), Image.Resampling.LANCZOS)
        data = _jpeg(scaled, _QUALITY_STEPS[0])
        if len(data) <= IMAGE_LIMIT:
            return _checked(data, name, JPEG, scaled, reencoded=True)
    raise UserFacingError("uploads.not_compressible", size=megabytes(original_size), limit=megabytes(IMAGE_LIMIT))


def _checked(data: bytes, name: str, found: tuple[str, str], image: Image.Image, *, reencoded: bool = False) -> Checked:
    content_type, extension = found
    return Checked(data, "image", content_type, extension, clean_name(name, extension), image.width, image.height,
                   thumbnail(image), reencoded)


def thumbnail(image: Image.Image) -> bytes:
    small = _rgb(image.copy())
    small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    return _jpeg(small, 80)
