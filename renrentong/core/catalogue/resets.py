"""Errors of password resets by others and of the audit log (AUTH-5, NFR-1; seeds 002 §2 §5 §6, 004)."""

from renrentong.core.errors import ErrorSpec, Fixer

ENTRIES = {
    "reset.not_allowed": ErrorSpec(
        403,
        "你当前的身份不能重置他人密码。班主任可重置本班学生的密码,家长可为自己的孩子设置新密码,学校管理员可重置本校教师和"
        "学生的密码,区县(市、省)管理员可重置辖区内用户的密码。",
        "Your current identity cannot reset other people's passwords. A class head teacher resets students of "
        "their own class, a parent sets a new password for their own child, a school admin resets the school's "
        "teachers and students, and district (city, province) admins reset users below them.",
        Fixer.SCHOOL_ADMIN),
    "reset.not_head_teacher": ErrorSpec(
        403,
        "只有班主任可以重置本班学生的密码;你目前不是任何班级的班主任。如需设为班主任,请联系学校管理员。",
        "Only a class head teacher may reset students' passwords, and you head no class. Ask the school admin to "
        "make you the head teacher of your class.",
        Fixer.SCHOOL_ADMIN),
    "reset.outside_authority": ErrorSpec(
        403,
        "账号 {account} 不在你可重置的范围内:{reason}。请联系{above}重置。",
        "Account {account} is outside what you may reset: {reason}. Ask {above} to reset it.",
        Fixer.DISTRICT_ADMIN),
    "reset.self": ErrorSpec(
        400,
        "不能用重置功能修改自己的密码,请在“修改密码”中修改,或通过“找回密码”自助重置。",
        "You cannot reset your own password here; change it under “Change password”, or use “Forgot password”.",
        Fixer.SELF),
    "reset.custom_not_allowed": ErrorSpec(
        403,
        "班主任只能将学生密码重置为学校的默认密码;如需指定密码,请联系学校管理员,或由家长为孩子设置。",
        "A class head teacher resets a student to the school's default password only; for a chosen password ask "
        "the school admin, or a parent can set one for their child.",
        Fixer.SCHOOL_ADMIN),
    "reset.nothing_chosen": ErrorSpec(
        400, "请先勾选要重置密码的账号。", "Tick the accounts whose passwords you want to reset.", Fixer.SELF),
    "reset.too_many": ErrorSpec(
        400,
        "一次最多重置 {limit} 个账号,你选择了 {count} 个。请分批重置。",
        "At most {limit} accounts can be reset at once; you chose {count}. Reset them in batches.",
        Fixer.SELF),
    "reset.invalid_mode": ErrorSpec(
        400, "重置方式只能是“默认密码”或“自定义密码”。", "The reset mode must be “default” or “custom”.", Fixer.SELF),
    "reset.custom_missing": ErrorSpec(
        400, "选择自定义密码时请填写新密码。", "Enter the new password when you choose a custom password.", Fixer.SELF),
    "reset.rate_limited": ErrorSpec(
        429,
        "你在一小时内重置的账号数已达上限({limit} 个),请在 {until} 之后再试。如需批量重置更多账号,请联系区县管理员。",
        "You have reset the limit of {limit} accounts in one hour; try again after {until}. For larger batches ask "
        "the district admin.",
        Fixer.DISTRICT_ADMIN),
    "reset.no_account": ErrorSpec(
        404,
        "该学生还没有平台账号,无法设置密码。账号由学校管理员导入学生数据后生成,请联系学校管理员。",
        "This student has no platform account yet, so no password can be set. Accounts are created when the "
        "school admin imports the students; ask the school admin.",
        Fixer.SCHOOL_ADMIN),
    # The audit log page and API (AUTH-5: who, whose, when, how)
    "audit.not_allowed": ErrorSpec(
        403,
        "只有学校管理员和区县(市、省)管理员可以查看操作记录。",
        "Only school admins and district (city, province) admins may read the audit log.",
        Fixer.SCHOOL_ADMIN),
    "audit.invalid_date": ErrorSpec(
        400,
        "日期“{value}”无效,请按 年-月-日 填写,例如 2026-09-01。",
        "The date “{value}” is not valid; write it as year-month-day, e.g. 2026-09-01.",
        Fixer.SELF),
}
