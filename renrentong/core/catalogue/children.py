"""Errors of linking children to a parent account (ACC-6, ACC-7, HELP-1; seed 000 学生/家长常见问题 1 and 7,
seed 004 “家长如何关联自己的孩子”)."""

from renrentong.core.errors import ErrorSpec, Fixer

ENTRIES = {
    "children.missing_fields": ErrorSpec(
        400, "请填写孩子的{fields}。", "Enter the child's {fields}.", Fixer.SELF),
    "children.invalid_id_number": ErrorSpec(
        400,
        "身份证号“{value}”无效(应为 18 位,最后一位为数字或 X,且校验位正确),请核对孩子的身份证。",
        "The ID number “{value}” is not valid (18 characters, the last a digit or X, with a correct check digit); "
        "check the child's ID card.",
        Fixer.SELF),
    "children.not_found": ErrorSpec(
        404,
        "平台上没有找到该身份证号的学生:可能学校尚未导入孩子的信息,或学校导入的身份证号有误。请核对身份证号;"
        "如无误,请联系班主任或学校管理员核实孩子的学籍信息。",
        "No student with this ID number is on the platform: the school may not have imported the child yet, or "
        "imported a different ID number. Check the number; if it is right, ask the class head teacher or the "
        "school admin to check the child's school record.",
        Fixer.CLASS_HEAD_TEACHER),
    "children.name_mismatch": ErrorSpec(
        400,
        "与绑定信息不符:姓名与学校登记的不一致(空格和全角字符已忽略)。请核对孩子的姓名是否与身份证一致、有无错别字;"
        "如学校登记的姓名有误,请联系班主任或学校管理员更正。",
        "Does not match the school's data: the name differs from the one the school registered (spaces and "
        "full-width characters are ignored). Check that the name is as on the ID card, with no wrong character; "
        "if the school's record is wrong, ask the class head teacher or the school admin to correct it.",
        Fixer.CLASS_HEAD_TEACHER),
    "children.sex_mismatch": ErrorSpec(
        400,
        "与绑定信息不符:性别不一致。你填写的是“{given}”,学校登记的是“{recorded}”。如学校登记有误,请联系班主任或"
        "学校管理员更正。",
        "Does not match the school's data: the sex differs. You entered “{given}”, the school registered "
        "“{recorded}”. If the school's record is wrong, ask the class head teacher or the school admin to correct "
        "it.",
        Fixer.CLASS_HEAD_TEACHER),
    "children.school_sex_inconsistent": ErrorSpec(
        400,
        "与绑定信息不符:学校登记的性别(“{recorded}”)与身份证号显示的性别(“{from_id}”)不一致,学校登记可能有误。"
        "请联系班主任或学校管理员更正后再关联。",
        "Does not match the school's data: the sex the school registered (“{recorded}”) differs from the sex the "
        "ID number shows (“{from_id}”), so the school's record is probably wrong. Ask the class head teacher or "
        "the school admin to correct it, then link again.",
        Fixer.CLASS_HEAD_TEACHER),
    "children.not_a_student": ErrorSpec(
        400,
        "该账号不是学生账号,不能作为孩子关联。请使用学校下发的学生账号(8 或 9 位数字)和密码。",
        "This account is not a student account and cannot be linked as a child. Use the student account (8 or 9 "
        "digits) and password the school issued.",
        Fixer.SELF),
    "children.wrong_account_or_password": ErrorSpec(
        400,
        "学生账号或密码不正确(密码区分大小写)。请核对学校下发的账号密码条;孩子已修改过密码的,请用新密码。忘记密码请联系"
        "班主任或学校管理员重置。",
        "The student account or password is wrong (passwords are case-sensitive). Check the account slip from the "
        "school; if the child changed the password, use the new one. If it is forgotten, ask the class head "
        "teacher or the school admin to reset it.",
        Fixer.CLASS_HEAD_TEACHER),
    "children.relation_required": ErrorSpec(
        400, "请选择你是孩子的什么人(父亲、母亲、监护人或其他)。",
        "Choose who you are to the child (father, mother, guardian or other).", Fixer.SELF),
    "children.initial_expired": ErrorSpec(
        403,
        "账号密码条上的初始密码已过期(有效期 {days} 天),不能再用来绑定孩子。请班主任或学校管理员重新打印账号密码条"
        "(会生成新的初始密码),或由孩子登录后在“我的”中查看。",
        "The initial password on the account slip has expired (valid for {days} days) and no longer links a "
        "child. Ask the class head teacher or the school admin to print a new slip (with a new initial password).",
        Fixer.CLASS_HEAD_TEACHER),
    "children.not_enrolled": ErrorSpec(
        400,
        "孩子目前不在任何学校就读(已毕业、离校或正在转学),暂不能关联。孩子升学或转学后,新学校为孩子创建账号后即可关联;"
        "如新学校尚未创建,请联系孩子现就读学校的管理员。",
        "The child is not enrolled in any school at the moment (graduated, left, or moving schools), so it cannot "
        "be linked yet. Once the new school has created the child's account you can link it; if it has not, ask "
        "the admin of the school the child now attends.",
        Fixer.SCHOOL_ADMIN),
    "children.already_linked": ErrorSpec(
        400, "该孩子已关联在你的账号下,可在“我的孩子”中切换。",
        "This child is already linked to your account; switch to it under “My children”.", Fixer.SELF),
    "children.self": ErrorSpec(
        400, "不能把自己关联为孩子。", "You cannot link yourself as your own child.", Fixer.SELF),
    "children.too_many_children": ErrorSpec(
        400,
        "一个家长账号最多关联 {limit} 个孩子。如确有需要,请联系学校管理员。",
        "A parent account can link at most {limit} children. Ask the school admin if you really need more.",
        Fixer.SCHOOL_ADMIN),
    "children.too_many_guardians": ErrorSpec(
        400,
        "该孩子已关联了 {limit} 位家长,达到上限。如有家长账号不再使用,请联系班主任或学校管理员解除。",
        "This child already has {limit} linked parents, the limit. If one of those accounts is no longer used, "
        "ask the class head teacher or the school admin to remove it.",
        Fixer.SCHOOL_ADMIN),
    "children.cannot_link_as_student": ErrorSpec(
        403,
        "学生身份不能关联孩子。请用家长账号(手机号)登录后关联。",
        "A student identity cannot link children. Log in with the parent account (the phone) to link a child.",
        Fixer.SELF),
    "children.no_person": ErrorSpec(
        400,
        "你的账号没有登记姓名等个人信息,暂不能关联孩子。请联系学校管理员完善家长信息。",
        "Your account has no personal record (name), so it cannot link children yet. Ask the school admin to "
        "complete your parent record.",
        Fixer.SCHOOL_ADMIN),
    "children.link_throttled": ErrorSpec(
        429,
        "关联孩子失败次数过多,已暂停至 {until}。请核对孩子的姓名和身份证号,或学校下发的账号密码后再试;如信息确认无误,"
        "请联系班主任或学校管理员。",
        "Too many failed attempts to link a child; linking is paused until {until}. Check the child's name and ID "
        "number, or the account and password from the school, then try again; if they are right, ask the class "
        "head teacher or the school admin.",
        Fixer.CLASS_HEAD_TEACHER),
    "children.manage_not_allowed": ErrorSpec(
        403,
        "只有学生的班主任、学校管理员和上级管理员可以查看和解除家长与学生的关联。",
        "Only the student's class head teacher, the school admin and admins above them may see and remove the "
        "links between parents and a student.",
        Fixer.SCHOOL_ADMIN),
    "children.link_pending": ErrorSpec(
        400,
        "你已申请关联该孩子,正在等待确认:孩子的其他家长确认后即可查看;孩子还没有关联家长的,由班主任或学校管理员确认。"
        "如需尽快关联,可使用学校下发的学生账号和密码关联,或联系班主任。",
        "You have already asked to link this child and the request is waiting: it takes effect once the child's "
        "other parent confirms it, or, if the child has no linked parent yet, the class head teacher or the school "
        "admin. To link at once, use the student account and password the school issued, or ask the class head "
        "teacher.",
        Fixer.CLASS_HEAD_TEACHER),
    "children.name_id_swapped": ErrorSpec(
        400,
        "“姓名”一栏填的是身份证号,“身份证号”一栏填的不是身份证号:两栏可能填反了。请把孩子的姓名填入“姓名”,"
        "身份证号填入“身份证号”后重试。",
        "The name field holds an ID number and the ID number field does not: the two were probably swapped. Enter "
        "the child's name under “Name” and the ID number under “ID number”, then try again.",
        Fixer.SELF),
    "children.invalid_relation": ErrorSpec(
        400, "与孩子的关系只能是:{allowed}。", "The relation to the child must be one of: {allowed}.", Fixer.SELF),
}
