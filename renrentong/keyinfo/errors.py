"""The keyinfo error catalogue: every refusal this app raises, in Chinese and English, with who can fix it.

It joins the one catalogue at start (core.errors.register_catalogues); a code defined twice fails there.

- keyinfo: Key information (KEY-1..KEY-3): local and national student numbers and ID numbers, their approvals,
completion and the comparison with the official student registry (Changsha, seed 001).
"""

from renrentong.core.errors import ErrorSpec, Fixer

_KEYINFO = {
    "keyinfo.not_allowed": ErrorSpec(
        403,
        "关键信息由学校管理员录入和审核;学生本人和家长可以提交修改,等待学校审核。",
        "Key information is entered and approved by the school admin; students and parents may submit "
        "changes, which wait for the school's approval.",
        Fixer.SCHOOL_ADMIN,
    ),
    "keyinfo.not_enrolled": ErrorSpec(
        400,
        "该学生目前没有在读的学校,关键信息暂时无法修改。请联系学校管理员核实学籍。",
        "This student is not enrolled at a school now, so key information cannot be changed. Ask the school "
        "admin to check the enrollment.",
        Fixer.SCHOOL_ADMIN,
    ),
    "keyinfo.invalid_id_number": ErrorSpec(
        400,
        "身份证号 {value} 无效(应为 18 位,出生日期和末位校验码须正确),请核对后重新填写。",
        "ID number {value} is invalid (18 characters with a real birth date and a correct check digit); check "
        "it and enter it again.",
        Fixer.SELF,
    ),
    "keyinfo.invalid_student_number": ErrorSpec(
        400,
        "{field}“{value}”格式不对:只能由 6-32 位字母和数字组成(全国学籍号通常为 G 加身份证号)。",
        "{field} “{value}” is malformed: 6 to 32 letters and digits only (a national student number is usually "
        "G followed by the ID number).",
        Fixer.SELF,
    ),
    "keyinfo.no_changes": ErrorSpec(
        400,
        "没有需要修改的内容:填写的值与平台上的相同。",
        "Nothing to change: the values given are the ones the platform already holds.",
        Fixer.SELF,
    ),
    "keyinfo.unknown_field": ErrorSpec(
        400,
        "该申请中没有“{field}”这一项。",
        "This request has no field “{field}”.",
        Fixer.SELF,
    ),
    "keyinfo.taken": ErrorSpec(
        409,
        "该{field}已登记在平台上的另一名学生名下,不能重复使用。请核对;如确认无误,请联系学校管理员处理。",
        "This {field} is already registered to another student on the platform and cannot be used twice. "
        "Check it; if it is right, ask the school admin to sort it out.",
        Fixer.SCHOOL_ADMIN,
    ),
    "keyinfo.taken_same_school": ErrorSpec(
        409,
        "该{field}已属于本校学生{name}(账号 {account},{school_class})。请先核对并更正该学生的信息,再修改本条。",
        "This {field} already belongs to {name} of this school (account {account}, {school_class}). Check and "
        "correct that student's record first, then this one.",
        Fixer.SCHOOL_ADMIN,
    ),
    "keyinfo.taken_other_school": ErrorSpec(
        409,
        "该{field}已属于{school}的学生。如确认无误,请联系{school}的学校管理员核对;学生如已转来本校,应由本人申请转校。"
        "双方无法确认时请联系区县管理员。",
        "This {field} belongs to a student of {school}. If it is right, ask the admin of {school} to check; a "
        "student who moved here applies for a transfer. If the schools cannot settle it, ask the district admin.",
        Fixer.DISTRICT_ADMIN,
    ),
    "keyinfo.id_held_by_other_role": ErrorSpec(
        409,
        "该身份证号已被平台上的其他角色(教师或家长)使用。请核对;如确认无误,请联系平台技术支持。",
        "This ID number is held by another role on the platform (a teacher or parent). Check it; if it is "
        "right, contact platform support.",
        Fixer.SUPPORT,
    ),
    "keyinfo.already_decided": ErrorSpec(
        409,
        "该修改申请已审核完毕,不能再更改审核结果。如需调整,请直接修改学生的关键信息。",
        "This request has already been decided and its decisions cannot change. Edit the student's key "
        "information directly if it needs adjusting.",
        Fixer.SELF,
    ),
    "keyinfo.registry_columns": ErrorSpec(
        400,
        "学籍名单须包含“姓名”列,以及“身份证号”或“全国学籍号”中的至少一列。",
        "The registry list needs a “姓名” (name) column and at least one of “身份证号” (ID number) or "
        "“全国学籍号” (national student number).",
        Fixer.SCHOOL_ADMIN,
    ),
}

ENTRIES = {**_KEYINFO}
