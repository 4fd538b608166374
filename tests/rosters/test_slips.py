"""Account slips (账号密码条, SPEC IMP-5): the PDF's extracted text, its pages, and what stays on a slip."""

import io
import subprocess

from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from renrentong.rosters import slips as slips_module
from renrentong.rosters.slips import SLIPS_PER_PAGE, Slip, render_slips

SCHOOL = "长沙市岳麓区第一实验小学"
CLASS = "七年级（3）班"
LOGIN = "https://rrt.csedu.gov.cn"


def changsha_student(i: int, digits: int = 8) -> Slip:
    # The Changsha seed: an 8/9-digit student account, initial password "Pw" + last 6 digits + "@".
    account = f"{43010000 + i * 137:0{digits}d}"
    return Slip(name=f"学生{i:02d}", account=account, password=f"Pw{account[-6:]}@")


def pdf_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def text_runs(pdf: bytes):
    """(page, x, y, text, font, size) for every string drawn, read back from the PDF."""
    runs = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        def visit(text, cm, tm, font_dict, font_size, number=number):
            text = text.strip("\n")
            if text and font_dict is not None:
                font = str(font_dict["/BaseFont"]).lstrip("/")
                runs.append((number, tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], text, font, font_size * tm[0]))
        page.extract_text(visitor_text=visit)
    return runs


def text_lines(pdf: bytes):
    """(page, x, y, text, width): a line is drawn as one text object whose runs (one per font) all
    report the line's start, so the line's width is the sum of its runs' widths."""
    lines = []
    for page, x, y, text, font, size in text_runs(pdf):
        width = pdfmetrics.stringWidth(text, font, size)
        if lines and lines[-1][:3] == (page, x, y):
            _, _, _, before, before_width = lines[-1]
            lines[-1] = (page, x, y, before + text, before_width + width)
        else:
            lines.append((page, x, y, text, width))
    return lines


def test_text_has_school_class_names_accounts_and_passwords():
    students = [changsha_student(i, digits=8 if i % 2 else 9) for i in range(45)]
    students[0] = Slip("欧阳娜娜", "430100001", "Pw100001@")
    students[1] = Slip("张伟", "43010002", "Pw010002@", note="转入")
    pdf = render_slips(SCHOOL, CLASS, LOGIN, students)

    assert pdf.startswith(b"%PDF-")
    pages = pdf_text(pdf)
    text = "\n".join(pages)
    for page in pages:  # the header on every page
        assert SCHOOL in page and CLASS in page and "账号密码条" in page
    assert [f"第 {n} / 3 页" in page for n, page in enumerate(pages, 1)] == [True] * 3
    for s in students:
        assert s.name in text
        assert s.account in text
        assert s.password in text
    assert text.count("首次登录须修改密码") == 45
    assert text.count(LOGIN) == 45
    assert "转入" in text
    assert "共 45 人" in text


def test_account_and_password_are_monospaced_and_chinese_is_the_cid_font():
    pdf = render_slips(SCHOOL, CLASS, LOGIN, [Slip("张伟", "43010002", "Pw010002@")])
    fonts = {text: font for _, _, _, text, font, _ in text_runs(pdf)}
    assert fonts["43010002"] == "Courier-Bold"
    assert fonts["Pw010002@"] == "Courier-Bold"
    assert fonts["张伟"] == "STSong-Light"
    assert PdfReader(io.BytesIO(pdf)).metadata.title == f"{SCHOOL} {CLASS} 账号密码条"


def test_page_count_grows_with_the_number_of_slips():
    def pages(n):
        pdf = render_slips(SCHOOL, CLASS, LOGIN, [changsha_student(i) for i in range(n)])
        return len(PdfReader(io.BytesIO(pdf)).pages)

    assert SLIPS_PER_PAGE == 16
    counts = [pages(n) for n in (1, 16, 17, 32, 33, 50)]
    assert counts == [1, 1, 2, 2, 3, 4]
    assert pages(50) <= 4  # a class of 40-50 fits in a few pages


def test_empty_class_gives_one_page_that_says_so():
    pdf = render_slips(SCHOOL, CLASS, LOGIN, [])
    pages = pdf_text(pdf)
    assert len(pages) == 1
    assert "暂无学生" in pages[0]
    assert SCHOOL in pages[0] and CLASS in pages[0]
    assert "第 1 / 1 页" in pages[0]


def test_rare_characters_do_not_crash():
    students = [
        Slip("李䶮", "43010001", "Pw010001@"),  # CJK Extension A: in the font's CMap, kept as is
        Slip("王𠇔明", "43010002", "Pw010002@"),  # Extension B: outside UCS-2, printed as the geta mark
        Slip("买买提·艾力", "43010003", "Pw010003@"),  # the middle dot that would print as a box
        Slip("Anna Müller-Łukasz", "43010004", "Pw010004@"),
        Slip("赵\n钱\t孙", "43010005", "Pw010005@"),  # control characters from a bad import
    ]
    text = "\n".join(pdf_text(render_slips(SCHOOL, CLASS, LOGIN, students)))
    assert "李䶮" in text
    assert "王〓明" in text
    assert "买买提・艾力" in text
    assert "Anna Müller-Łukasz" in text
    assert "赵 钱 孙" in text
    for i in range(1, 6):
        assert f"Pw01000{i}@" in text


def test_long_name_is_cut_with_an_ellipsis_and_everything_stays_in_its_slip():
    long_name = "诸葛孔明司马懿欧阳修上官婉儿慕容复东方不败令狐冲独孤求败"
    long_url = "https://rrt.csedu.gov.cn/login?from=slip&school=430104000123&class=7-3&lang=zh-CN"
    students = [
        Slip(long_name, "430100001", "Pw100001@"),
        Slip("张伟", "43010002", "Pw010002@", note="备注" * 40),
        Slip("W" * 60, "4" * 40, "P" * 40),  # absurd, but it must not spill over
    ] + [changsha_student(i) for i in range(3, 20)]
    pdf = render_slips("长沙市岳麓区第一实验小学附属幼儿园与初级中学联合办学教育集团总校区", CLASS * 6, long_url, students)
    text = "\n".join(pdf_text(pdf))
    assert long_name not in text
    assert long_name[:8] in text and "…" in text

    m = slips_module
    mid = m.PAGE_W / 2
    grid_top = m.PAGE_H - m.MARGIN_TOP - m.HEADER_H - 4
    cell_h = (grid_top - m.MARGIN_BOTTOM) / m.ROWS
    lines = text_lines(pdf)
    assert len(lines) == 2 * 3 + 20 * 11  # per page: 3 header lines; per slip: 11 lines
    for _, x, y, text, width in lines:
        if y > grid_top:  # the page header
            assert m.MARGIN_X - 0.5 <= x and x + width <= m.PAGE_W - m.MARGIN_X + 0.5, text
            continue
        column = (m.MARGIN_X, mid) if x < mid else (mid, m.PAGE_W - m.MARGIN_X)
        assert column[0] + 2 <= x and x + width <= column[1] - 2, (text, x, width, column)
        row = int((grid_top - y) // cell_h)
        assert grid_top - (row + 1) * cell_h + 2 <= y and y + 11 <= grid_top - row * cell_h, (text, y)


def test_poppler_renders_the_page(tmp_path):
    path = tmp_path / "slips.pdf"
    path.write_bytes(render_slips(SCHOOL, CLASS, LOGIN, [changsha_student(i) for i in range(20)]))
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page")], check=True, timeout=60)
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == 2
    assert all(p.read_bytes().startswith(b"\x89PNG") and p.stat().st_size > 2000 for p in pngs)
