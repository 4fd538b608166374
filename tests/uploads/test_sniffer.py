"""The type is read from the content, never the name (SPC-4): property tests of the sniffer."""

import io
import time

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from PIL import Image

from renrentong.core.errors import UserFacingError
from renrentong.uploads import content
from tests.uploads import files

MAGICS = [b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF89a", b"RIFF\0\0\0\0WEBP", b"\0\0\0\x18ftypheic",
          b"%PDF-", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b""]
HEIC = files.heic((64, 48))
SAMPLES = {
    "jpeg": (files.image("JPEG"), "image/jpeg"),
    "png": (files.image("PNG"), "image/png"),
    "gif": (files.gif(), "image/gif"),
    "webp": (files.image("WEBP"), "image/webp"),
    "heic": (files.heic((64, 48)), "image/jpeg"),
    "pdf": (files.pdf(), "application/pdf"),
    "docx": (files.ooxml("docx"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (files.ooxml("xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": (files.ooxml("pptx"), "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "doc": (files.ole2("WordDocument"), "application/msword"),
    "xls": (files.ole2("Workbook"), "application/vnd.ms-excel"),
    "ppt": (files.ole2("PowerPoint Document"), "application/vnd.ms-powerpoint"),
}
REFUSED = {
    "svg": files.SVG, "html": files.HTML, "exe": files.EXE, "elf": files.ELF, "zip": files.plain_zip(),
    "docm": files.ooxml("docm"), "docx_without_main_part": files.ooxml("docx", main_part=False),
    "docx_undeclared": files.ooxml("docx", declare=False), "msi_like_ole2": files.ole2("SummaryInformation"),
    "empty": b"", "text": b"hello",
}


def _pillow_opens(data: bytes) -> bool:
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
        return True
    except Exception:
        return False


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(magic=st.sampled_from(MAGICS), tail=st.binary(max_size=2048), name=st.text(max_size=40))
def test_random_bytes_never_crash_and_are_no_image_unless_pillow_opens_them(magic, tail, name):
    data = magic + tail
    try:
        checked = content.check(data, name)
    except UserFacingError as refused:
        assert refused.code.startswith("uploads.")
        return
    if checked.kind == "image":
        assert _pillow_opens(data)
        assert _pillow_opens(checked.data)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(sample=st.sampled_from(sorted(SAMPLES)), name=st.text(max_size=60))
def test_names_never_change_the_type(sample, name):
    data, content_type = SAMPLES[sample]
    checked = content.check(data, name)
    assert checked.content_type == content_type
    assert checked.name.endswith(checked.extension)
    assert "/" not in checked.name and "\\" not in checked.name


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(refused=st.sampled_from(sorted(REFUSED)), name=st.sampled_from(["a.jpg", "b.png", "c.pdf", "d.docx", "e"]))
def test_refused_types_stay_refused_whatever_their_name(refused, name):
    with pytest.raises(UserFacingError) as error:
        content.check(REFUSED[refused], name)
    assert error.value.code == "uploads.type_refused"


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_each_accepted_type(sample):
    data, content_type = SAMPLES[sample]
    checked = content.check(data, "x")
    assert checked.content_type == content_type
    assert (checked.thumbnail is not None) == (checked.kind == "image")


def test_an_animated_webp_stays_animated_and_loses_its_exif():
    frames = [Image.new("RGB", (64, 48), (i * 60, 0, 0)) for i in range(3)]
    exif = Image.Exif()
    exif[0x8825] = files.GPS
    out = io.BytesIO()
    frames[0].save(out, "WEBP", save_all=True, append_images=frames[1:], duration=100, loop=0, exif=exif.tobytes())
    assert Image.open(io.BytesIO(out.getvalue())).getexif().get_ifd(0x8825)
    checked = content.check(out.getvalue(), "moving.webp")
    kept = Image.open(io.BytesIO(checked.data))
    assert checked.content_type == "image/webp" and kept.n_frames == 3
    assert not kept.getexif().get_ifd(0x8825)


def test_an_animated_gif_stays_animated():
    checked = content.check(files.gif(frames=4), "moving.gif")
    assert Image.open(io.BytesIO(checked.data)).n_frames == 4 and checked.thumbnail


def test_a_bomb_between_pillows_warning_and_error_is_refused_from_the_header():
    started = time.monotonic()
    with pytest.raises(UserFacingError) as error:
        content.check(files.png_bomb(10_000), "warned.png")  # 100 million pixels: Pillow only warns
    assert error.value.code == "uploads.bomb"
    assert time.monotonic() - started < 1


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(min_value=6, max_value=400), junk=st.binary(max_size=64))
def test_damaged_images_never_crash(cut, junk):
    for data in (files.gif(frames=3), files.image("WEBP"), files.image("JPEG"), files.image("PNG"), HEIC):
        try:
            content.check(data[:cut] + junk, "x.gif")
        except UserFacingError as refused:
            assert refused.code.startswith("uploads.")
