"""Errors of password recovery, login by SMS code and the admins' second factor (AUTH-4, AUTH-6, HELP-1;
seeds 000 #3 #5, 002 login and password sections, 003 "忘记账号和密码", 004 途径三)."""

from renrentong.core.errors import ErrorSpec, Fixer

ENTRIES = {
    # Password recovery (AUTH-4)
    "recovery.missing_identifier": ErrorSpec(
        400, "请输入账号、绑定的手机号或邮箱。", "Enter your account number, bound phone or email.", Fixer.SELF),
    "recovery.no_such_user": ErrorSpec(
        400,
        "没有该用户:平台上没有与“{identifier}”对应的账号。如果这是家长或教师的手机号,说明学校没有导入该手机号码,"
        "需要联系学校管理员导入(家长手机号在学生信息中添加);也可以请学校管理员帮你重置密码。",
        "No such user: no account on the platform matches “{identifier}”. If it is a parent's or teacher's phone, "
        "the school has not imported that number: ask the school admin to import it (a parent's phone is added "
        "to the student's record). The school admin can also reset your password.",
        Fixer.SCHOOL_ADMIN),
    "recovery.source_throttled": ErrorSpec(
        429,
        "当前网络查询账号的次数过多,请在 {until} 之后再试。如为学校统一网络,请联系区县管理员。",
        "Too many account look-ups from your network; try again after {until}. If this is a school's shared "
        "network, contact the district admin.",
        Fixer.DISTRICT_ADMIN),
    "recovery.no_destination": ErrorSpec(
        400,
        "该账号没有绑定手机号或邮箱,也没有关联家长手机号,无法自助找回密码。请联系班主任或学校管理员重置密码;"
        "学校管理员也可以在学生信息中添加家长手机号。",
        "This account has no bound phone or email and no linked parent's phone, so it cannot recover its password "
        "by itself. Ask the class head teacher or the school admin to reset it; the school admin can also add a "
        "parent's phone to the student's record.",
        Fixer.SCHOOL_ADMIN),
    "recovery.invalid_choice": ErrorSpec(
        400, "请从列表中选择一项。", "Choose one of the listed options.", Fixer.SELF),
    "recovery.expired": ErrorSpec(
        400,
        "找回密码的验证已过期或已使用,请重新开始“找回密码”。",
        "This recovery has expired or was already used; start “Forgot password” again.",
        Fixer.SELF),
    "recovery.not_your_account": ErrorSpec(
        404,
        "所选账号不在已验证的手机号或邮箱名下,请从列表中选择。",
        "The chosen account does not belong to the verified phone or email; choose one from the list.",
        Fixer.SELF),
    "recovery.account_not_chosen": ErrorSpec(
        400,
        "该手机号对应多个账号,请先选择要重置密码的是哪一个(本人还是孩子)。",
        "This phone serves several accounts: first choose whose password to reset (your own or a child's).",
        Fixer.SELF),
    "recovery.phone_not_this_accounts": ErrorSpec(
        400,
        "你填写的手机号不是该账号绑定的手机号:验证码只能发到该账号绑定的 {bound}。如果那个号码你已不再使用,请联系"
        "学校管理员更换该账号绑定的手机号或为你重置密码;也可以直接用你的手机号找回该手机号名下的账号。",
        "The phone you entered is not the one bound to this account: the code can only go to {bound}, the "
        "account's bound phone. If you no longer use that number, ask the school admin to change the bound phone "
        "or reset your password; or recover with your phone number instead, for the accounts it serves.",
        Fixer.SCHOOL_ADMIN),
    "recovery.student_fields_missing": ErrorSpec(
        400, "请填写学生姓名、身份证号和学校。", "Enter the student's name, ID number and school.", Fixer.SELF),
    "recovery.student_not_matched": ErrorSpec(
        400,
        "姓名、身份证号和学校与平台上的学生信息不符。请核对后重试(姓名中的空格和全角字符不影响比对);如确认无误,"
        "可能是学校导入的信息有误,请联系学校管理员核实。",
        "The name, ID number and school do not match a student on the platform. Check them and try again (spaces "
        "and full-width characters in the name do not matter); if they are right, the school's import may be "
        "wrong: ask the school admin to check it.",
        Fixer.SCHOOL_ADMIN),
    "recovery.student_no_parent_phone": ErrorSpec(
        400,
        "该学生没有关联的家长手机号,无法通过家长手机验证找回密码。请联系班主任或学校管理员重置密码;学校管理员也可以"
        "在学生信息中添加家长手机号。",
        "This student has no linked parent's phone, so the password cannot be recovered through a parent's phone. "
        "Ask the class head teacher or the school admin to reset it; the school admin can also add a parent's "
        "phone to the student's record.",
        Fixer.CLASS_HEAD_TEACHER),
    "recovery.totp_required": ErrorSpec(
        400,
        "该管理员账号已绑定验证器应用:重置密码还须输入验证器应用中当前显示的 6 位动态码。丢失验证器请联系上级管理员"
        "或平台技术支持。",
        "This admin account has an authenticator app: resetting its password also needs the 6-digit code the app "
        "shows now. If you lost the authenticator, contact the admin above you or platform support.",
        Fixer.SUPPORT),
    # Login by phone and SMS code (AUTH-6)
    "code_login.invalid_phone": ErrorSpec(
        400, "“{value}”不是有效的手机号码,请输入 11 位手机号。",
        "“{value}” is not a valid mobile number; enter 11 digits.", Fixer.SELF),
    "code_login.unknown_phone": ErrorSpec(
        400,
        "该手机号没有在平台注册:学校没有导入该手机号,或它已被解绑。家长手机号由学校管理员在学生信息中导入,请联系学校"
        "管理员核实;也可以改用账号和密码登录。",
        "This phone is not registered on the platform: the school has not imported it, or it was unbound. Parents' "
        "phones are imported by the school admin with the student's record; ask the school admin to check. You "
        "can also log in with your account number and password.",
        Fixer.SCHOOL_ADMIN),
    "code_login.expired": ErrorSpec(
        400, "验证码登录已过期或已完成,请重新获取验证码。",
        "This code login has expired or was completed; ask for a new code.", Fixer.SELF),
    "code_login.needs_password": ErrorSpec(
        403,
        "管理员账号不能只凭短信验证码登录:请使用账号和密码登录,并完成二次验证(或先绑定验证器应用)。",
        "An admin account cannot log in with a text-message code alone: log in with your account number and "
        "password and complete the second factor (or add an authenticator app first).",
        Fixer.SELF),
    # Second factor for admins (MLPS level 3 two-factor authentication)
    "second_factor.required": ErrorSpec(
        401,
        "管理员账号须完成二次验证:请输入验证器应用中的 6 位动态码,或发送到绑定手机的短信验证码。",
        "Admin accounts need a second factor: enter the 6-digit code of your authenticator app, or the code sent "
        "to your bound phone.",
        Fixer.SELF),
    "second_factor.expired": ErrorSpec(
        400, "二次验证已过期或已完成,请重新登录。", "The second-factor step has expired or was completed; log in again.",
        Fixer.SELF),
    "second_factor.wrong_code": ErrorSpec(
        400, "动态码不正确或已使用,还可尝试 {remaining} 次。",
        "The authenticator code is wrong or was already used; {remaining} more tries.", Fixer.SELF),
    "second_factor.too_many": ErrorSpec(
        429,
        "二次验证错误次数过多,本次登录已作废。请重新输入密码登录;如验证器丢失,请联系上级管理员或平台技术支持。",
        "Too many wrong second-factor codes: this login is void. Log in again with your password; if you lost the "
        "authenticator, contact the admin above you or platform support.",
        Fixer.SUPPORT),
    "second_factor.paused": ErrorSpec(
        429,
        "二次验证错误次数过多(所有网络合计),该账号的二次验证暂停至 {until},到时自动恢复。如非本人操作,请尽快修改密码;"
        "如验证器丢失,请联系上级管理员或平台技术支持。",
        "Too many wrong second-factor codes for this account (all networks together): its second factor is "
        "paused until {until} and resumes by itself then. If this was not you, change your password soon; if "
        "you lost the authenticator, contact the admin above you or platform support.",
        Fixer.SUPPORT),
    "second_factor.no_method": ErrorSpec(
        403,
        "该管理员账号须完成二次验证,但既没有绑定手机号,也没有绑定验证器应用。请联系上级管理员或平台技术支持为账号绑定"
        "手机号。",
        "This admin account needs a second factor but has neither a bound phone nor an authenticator app. Ask the "
        "admin above you or platform support to bind a phone to the account.",
        Fixer.SUPPORT),
    "second_factor.no_phone": ErrorSpec(
        400, "该账号没有绑定手机号,请输入验证器应用中的动态码。",
        "This account has no bound phone; enter the code of your authenticator app.", Fixer.SELF),
    "second_factor.method_invalid": ErrorSpec(
        400, "二次验证方式须为验证器动态码(totp)或短信验证码(sms)。",
        "The second-factor method must be an authenticator code (totp) or a text-message code (sms).", Fixer.SELF),
}
