"""The rosters error catalogue: every refusal this app raises, in Chinese and English, with who can fix it.

It joins the one catalogue at start (core.errors.register_catalogues); a code defined twice fails there.

- imports: Roster import rows (IMP-3, issue 10 items 9 and 10): refusals of a row, and the notes that tell an
admin what an accepted row will do (a move, a transfer in, an ID number bound, a name joined).
"""

from renrentong.core.errors import ErrorSpec, Fixer

_BASE = {
    # Import jobs (IMP-2)
    "import.not_allowed": ErrorSpec(
        403,
        "只有学校管理员和区县(市、省)管理员可以导入名单;班主任不能批量添加用户。",
        "Only school admins and district (city, province) admins may import rosters; class head teachers "
        "cannot add users in bulk.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_missing": ErrorSpec(400, "请选择要导入的文件。", "Choose a file to import.", Fixer.SELF),
    "import.kind_not_supported": ErrorSpec(
        400, "不支持的名单类型。", "This kind of roster cannot be imported.", Fixer.SELF
    ),
    "import.wrong_state": ErrorSpec(
        409,
        "该导入任务当前状态为“{state}”,不能进行此操作。",
        "This import is “{state}” and cannot do that now.",
        Fixer.SELF,
    ),
    "slips.not_allowed": ErrorSpec(
        403,
        "只有学校管理员和本班班主任可以打印账号密码条。",
        "Only the school admin and the class's head teacher may print account slips.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.accounts_not_allowed": ErrorSpec(
        403,
        "新账号及初始密码表只能由该校的学校管理员下载。",
        "Only the school's own admin may download the new accounts with their initial passwords.",
        Fixer.SCHOOL_ADMIN,
    ),
    # Rows of an import (IMP-3, HELP-1): why a row did not go in, and who can fix it.
    "row.missing_name": ErrorSpec(400, "缺少姓名。", "The name is missing.", Fixer.SCHOOL_ADMIN),
    "row.invalid_sex": ErrorSpec(400, "性别“{value}”无法识别,请填写男或女。",
                                 "Sex “{value}” is not recognised; write 男 or 女.", Fixer.SCHOOL_ADMIN),
    "row.id_number_as_number": ErrorSpec(
        400,
        "身份证号在表格中被存成了数字,末几位已丢失。请把该列设为文本格式后重新填写。",
        "The ID number was stored as a number in the spreadsheet and lost its last digits; format the column "
        "as text and enter it again.",
        Fixer.SCHOOL_ADMIN,
    ),
    "row.invalid_id_number": ErrorSpec(
        400,
        "身份证号 {value} 无效(校验位或出生日期不对),请核对。",
        "ID number {value} is invalid (check digit or birth date); please check it.",
        Fixer.SCHOOL_ADMIN,
    ),
    "row.parent_without_phone": ErrorSpec(
        400, "家长{parent}填写了姓名但没有手机号;家长以手机号登录。",
        "Parent {parent} has a name but no phone; parents log in with their phone.", Fixer.SCHOOL_ADMIN),
    "row.invalid_phone": ErrorSpec(
        400, "家长{parent}的手机号 {value} 不是有效的手机号码。",
        "Parent {parent}'s phone {value} is not a valid mobile number.", Fixer.SCHOOL_ADMIN),
    "row.unknown_school": ErrorSpec(
        400, "学校“{value}”不在你的管辖范围内,或名称/代码有误。",
        "School “{value}” is not one of yours, or its name or code is wrong.", Fixer.DISTRICT_ADMIN),
    "row.missing_school": ErrorSpec(
        400, "此文件包含多所学校,本行缺少“学校”。", "This file covers several schools; the row has no school.",
        Fixer.DISTRICT_ADMIN),
    "row.unknown_class_code": ErrorSpec(
        400, "班级编码 {value} 不存在。", "There is no class with code {value}.", Fixer.SCHOOL_ADMIN),
    "row.missing_class": ErrorSpec(400, "缺少年级和班级。", "The grade and class are missing.", Fixer.SCHOOL_ADMIN),
    "row.invalid_class": ErrorSpec(
        400, "年级/班级“{value}”无法识别,请写成如“三年级”“1班”。",
        "Grade/class “{value}” is not recognised; write e.g. 三年级 and 1班.", Fixer.SCHOOL_ADMIN),
    "row.unknown_class": ErrorSpec(
        400, "{grade}年级{number}班尚未建立。可在导入时选择“自动创建缺少的班级”,或由学校管理员先添加班级。",
        "Grade {grade} class {number} does not exist yet. Choose “create missing classes” when importing, or "
        "the school admin adds the class first.",
        Fixer.SCHOOL_ADMIN),
    "row.unknown_grade": ErrorSpec(
        400, "学校没有{grade}年级所在的学段;学制或学段需由区县管理员设置。",
        "The school has no stage holding grade {grade}; the district admin sets school systems and stages.",
        Fixer.DISTRICT_ADMIN),
    "row.duplicate_in_file": ErrorSpec(
        400, "与第 {first_row} 行是同一名学生(身份证号或学籍号相同),本行未导入。",
        "The same student as row {first_row} (same ID or student number); this row was not imported.",
        Fixer.SCHOOL_ADMIN),
    "row.enrolled_elsewhere": ErrorSpec(
        400, "该学生在其他学校在读,未接收;已向该校发出转学申请,对方同意后自动转入。",
        "This student is enrolled at another school and was not taken over; a transfer request went to that "
        "school, and the student moves here once it approves.",
        Fixer.SCHOOL_ADMIN),
    "row.other_school_name_mismatch": ErrorSpec(
        400, "身份证号属于其他学校的学生,但姓名不一致;请核对身份证号和姓名,如确认无误请联系平台技术支持。",
        "The ID number belongs to another school's student with a different name; check the number and name, "
        "and contact platform support if both are right.",
        Fixer.SUPPORT),
    "row.id_held_by_other_role": ErrorSpec(
        400, "身份证号已被其他角色(教师或家长)使用;请核对,如确认无误请联系平台技术支持。",
        "The ID number is held by another role (a teacher or parent); check it, and contact platform support "
        "if it is right.",
        Fixer.SUPPORT),
    "row.missing_phone": ErrorSpec(
        400, "缺少手机号;教师以手机号登录。", "The phone is missing; teachers log in with their phone.",
        Fixer.SCHOOL_ADMIN),
    "row.invalid_teacher_phone": ErrorSpec(
        400, "手机号 {value} 不是有效的手机号码。", "Phone {value} is not a valid mobile number.", Fixer.SCHOOL_ADMIN),
    "row.classes_without_subject": ErrorSpec(
        400, "填写了任教班级但没有任教学科。", "Classes taught are given but no subject.", Fixer.SCHOOL_ADMIN),
    "row.id_held_by_other_account": ErrorSpec(
        400, "身份证号已属于另一个账号(手机号 {phone});请核对,如是本人换了手机号,请先用原账号登录修改手机号。",
        "The ID number already belongs to another account (phone {phone}); check it, and if the teacher changed "
        "phone, log in to that account first and change its phone.",
        Fixer.SCHOOL_ADMIN),
    "row.teacher_elsewhere": ErrorSpec(
        400, "该手机号是其他学校的教师;教师调入需本人在个人中心申请转校,由本校审核。",
        "This phone belongs to a teacher of another school; the teacher applies for a transfer from their "
        "personal page and this school approves it.",
        Fixer.SCHOOL_ADMIN),
}

_IMPORTS = {
    "row.sex_contradicts_id": ErrorSpec(
        400, "性别“{value}”与身份证号不符(身份证号第17位表示{id_sex}):请核对性别或身份证号。",
        "The sex “{value}” contradicts the ID number, whose 17th digit says {id_sex} (男 male, 女 female): check "
        "the sex or the ID number.", Fixer.SCHOOL_ADMIN),
    "row.unknown_account": ErrorSpec(
        400, "账号“{value}”不存在:请核对账号;新学生请把账号列留空。",
        "No account “{value}”: check the account number; leave it empty for a new student.", Fixer.SCHOOL_ADMIN),
    "row.keys_name_different_people": ErrorSpec(
        400, "这一行的账号、学籍号和身份证号分别属于不同的学生:请核对后再导入。",
        "The account, student numbers and ID number of this row belong to different students: check them and "
        "import again.", Fixer.SCHOOL_ADMIN),
    "row.id_number_differs": ErrorSpec(
        400, "该学生已登记的身份证号与文件中的不同:更正身份证号请在用户管理中提交关键信息变更。",
        "The ID number on record for this student differs from the file's: to correct an ID number, request "
        "a key information change in user management.", Fixer.SCHOOL_ADMIN),
}

ENTRIES = {**_BASE, **_IMPORTS}
