"""Roster import rows (IMP-3, issue 10 items 9 and 10): refusals of a row, and the notes that tell an
admin what an accepted row will do (a move, a transfer in, an ID number bound, a name joined)."""

from renrentong.core.errors import ErrorSpec, Fixer

ENTRIES = {
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
