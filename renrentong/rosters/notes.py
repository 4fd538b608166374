"""Notes on import rows that go in (issue 10, item 9): what the row will do (a move, a transfer in, an
ID number recorded, a name corrected) and what deserves a look (a space removed from a name), in
both languages. Refusals of a row are errors in the catalogue (rosters/errors.py); these are
not errors, so nobody is named to fix them."""

from renrentong.core.errors import in_language

NOTES: dict[str, tuple[str, str]] = {
    "moved_in_school": ("将从{from_class}调到{to_class}。", "Moves from {from_class} to {to_class}."),
    "graduated_elsewhere": (
        "曾在{from_school}就读(已毕业或离校),将转入本校{to_class};账号随之转到本校,原学校的学生身份结束。",
        "Was at {from_school} (graduated or left); transfers in to {to_class}: the account moves to this school "
        "and the student identity at the old school ends."),
    "id_number_bound": ("将为该学生登记文件中的身份证号。", "The file's ID number will be recorded for this student."),
    "name_corrected": ("姓名将更正为文件中的姓名。", "The name will be corrected to the file's."),
    "look.name_space": (
        "请核对姓名:文件中写作“{value}”,中间的空格已去掉。",
        "Check the name: the file has “{value}”; the space inside it was removed."),
}


def note(code: str, **params: object) -> str:
    zh, en = NOTES[code]
    return in_language(zh, en).format(**params)
