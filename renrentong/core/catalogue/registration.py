"""Errors of teacher self-registration and its approval (ACC-4, HELP-1; seed 002 section 1 "账号注册",
seed 003 "注册失败")."""

from renrentong.core.errors import ErrorSpec, Fixer

ENTRIES = {
    "registration.missing_fields": ErrorSpec(
        400, "请填写:{fields}。", "Please fill in: {fields}.", Fixer.SELF),
    "registration.account_name_length": ErrorSpec(
        400, "账号须为 6-16 位字母或数字,你输入了 {length} 位。",
        "The account name must be 6 to 16 letters or digits; you entered {length}.", Fixer.SELF),
    "registration.account_name_chars": ErrorSpec(
        400, "账号只能由字母和数字组成,不可包含汉字、空格或特殊字符(如 {chars})。",
        "The account name may contain only letters and digits, no Chinese characters, spaces or symbols "
        "(such as {chars}).", Fixer.SELF),
    "registration.account_name_digits_only": ErrorSpec(
        400, "账号须至少包含一个字母:纯数字留给平台生成的账号、手机号和学籍号使用。",
        "The account name needs at least one letter: numbers alone are kept for generated account numbers, "
        "phones and student numbers.", Fixer.SELF),
    "registration.account_name_taken": ErrorSpec(
        409, "账号“{account_name}”已被其他用户注册,请更换账号。建议使用姓名拼音+身份证后4位,如“{suggestion}”。",
        "The account name “{account_name}” is already taken; choose another. We suggest your name in pinyin plus "
        "the last 4 characters of your ID number, e.g. “{suggestion}”.", Fixer.SELF),
    "registration.invalid_name": ErrorSpec(
        400, "请填写与身份证一致的真实姓名(不超过 32 个字)。",
        "Enter your real name as on your ID card (at most 32 characters).", Fixer.SELF),
    "registration.invalid_id_number": ErrorSpec(
        400, "身份证号 {value} 不是有效的 18 位身份证号(校验位或出生日期不对),请核对。",
        "ID number {value} is not a valid 18-character ID number (check digit or birth date); please check it.",
        Fixer.SELF),
    "registration.invalid_phone": ErrorSpec(
        400, "手机号 {value} 不是有效的手机号码。", "Phone {value} is not a valid mobile number.", Fixer.SELF),
    "registration.unknown_school": ErrorSpec(
        400,
        "没有找到学校“{value}”。请输入学校全称或学校代码后从列表中选择;如学校尚未在平台登记,请联系区县管理员添加。",
        "No school “{value}” was found. Type the school's full name or code and pick it from the list; if the "
        "school is not on the platform yet, ask the district admin to add it.",
        Fixer.DISTRICT_ADMIN),
    "registration.school_not_tenant": ErrorSpec(
        403,
        "{school}不在平台的租户中,暂不能注册。新增学校需由区县管理员在平台上登记(添加租户)。",
        "{school} is not registered on the platform (not a tenant), so you cannot register there yet. The "
        "district admin must register the school first.",
        Fixer.DISTRICT_ADMIN),
    "registration.id_of_deleted_account": ErrorSpec(
        409,
        "该身份证号对应账号已删除,如有需要请联系省级管理员恢复(请提供姓名、身份证号、手机号或账号信息)。",
        "The account of this ID number was deleted. To have it restored, contact the province admin (give your "
        "name, ID number, phone or account).",
        Fixer.PROVINCE_ADMIN),
    "registration.id_pending": ErrorSpec(
        409,
        "该身份证号已注册(账号 {account}),正在等待{school}的学校管理员审核。请联系学校管理员审核,审核通过后即可登录;"
        "也可在“注册进度”中查看。",
        "This ID number is already registered (account {account}) and is waiting for the admin of {school} to "
        "approve it. Ask the school admin to approve it; you can log in once it is approved, and see its state "
        "under “Registration status”.",
        Fixer.SCHOOL_ADMIN),
    "registration.id_registered": ErrorSpec(
        409,
        "该身份证号已注册(账号 {account})。不记得账号或密码时:用手机号短信验证码登录后在个人设置查看账号并重置密码,"
        "或用“找回密码”重置;也可以把身份证号提供给学校管理员查询,或联系平台技术支持。",
        "This ID number is already registered (account {account}). If you forgot the account or password: log in "
        "with your phone and a text-message code and see the account and reset the password in your settings, or "
        "use “Forgot password”; the school admin can also look it up by ID number, or ask platform support.",
        Fixer.SELF),
    "registration.id_held_by_parent": ErrorSpec(
        409,
        "该身份证号已有家长账号(账号 {account})。教师和家长可以共用一个账号:请用该账号登录,在“实名认证”中认证为教师"
        "(学校管理员需先把你录入实名校验库),无需另行注册。",
        "This ID number already has a parent account ({account}). A teacher who is also a parent keeps one account: "
        "log in with it and verify as a teacher under “Real-name verification” (the school admin first adds you to "
        "the real-name registry); there is no need to register.",
        Fixer.SELF),
    "registration.id_held_by_student": ErrorSpec(
        409,
        "该身份证号以前注册了学生账号,不能再注册教师账号。请联系平台技术支持,提供姓名、身份证号信息进行解绑。",
        "This ID number belongs to a student account, so it cannot register a teacher account. Contact platform "
        "support with your name and ID number to have it unbound.",
        Fixer.SUPPORT),
    "registration.name_id_swapped": ErrorSpec(
        400,
        "“姓名”一栏填的是身份证号,“身份证号”一栏填的不是身份证号:两栏可能填反了。请把姓名和身份证号分别填入对应的栏后"
        "重试。",
        "The name field holds an ID number and the ID number field does not: the two were probably swapped. Put your "
        "name and your ID number each in its own field and try again.",
        Fixer.SELF),
    "registration.id_held_by_student_at": ErrorSpec(
        409,
        "该身份证号已被{school}的学生账号({account})使用,不能再注册教师账号。如那是你以前的学生账号,或学校把你的身份证号"
        "错录给了学生,请联系{school}的学校管理员核实:更正学生的身份证号,或注销该学生账号后再注册。",
        "This ID number is used by a student account ({account}) of {school}, so it cannot register a teacher "
        "account. If that was your own student account, or the school entered your ID number for a student by "
        "mistake, ask the school admin of {school} to check it: correct the student's ID number, or close that "
        "student account, then register.",
        Fixer.SCHOOL_ADMIN),
    "registration.phone_held_by_parent": ErrorSpec(
        409,
        "该手机号已是家长账号({account})的登录手机号,不能再注册教师账号。如这个家长账号是你本人的:教师和家长可以共用一个"
        "账号,请用该手机号(短信验证码)登录,在“实名认证”中认证为教师,无需另行注册。如不是你的(例如孩子的其他家长登记了"
        "你的号码):请联系{school}的学校管理员在“解绑手机号”中解绑该手机号,之后即可用它注册。",
        "This phone is the login phone of a parent account ({account}), so it cannot register a teacher account. If "
        "that parent account is yours: a teacher who is also a parent keeps one account; log in with the phone (and "
        "a text-message code) and verify as a teacher under “Real-name verification”, with no need to register. If "
        "it is not yours (say, another parent registered your number): ask the school admin of {school} to unbind "
        "the phone under “Unbind a phone”; then you can register with it.",
        Fixer.SCHOOL_ADMIN),
    "registration.id_name_mismatch": ErrorSpec(
        409,
        "平台上该身份证号登记的姓名与填写的不一致。请核对姓名;如平台登记有误,请联系学校管理员更正。",
        "The name on the platform for this ID number differs from the one entered. Check the name; if the "
        "platform's record is wrong, ask the school admin to correct it.",
        Fixer.SCHOOL_ADMIN),
    "registration.phone_pending": ErrorSpec(
        409,
        "该手机号已注册(账号 {account}),正在等待{school}的学校管理员审核,请联系学校管理员审核,审核通过后即可登录。",
        "This phone is already registered (account {account}) and is waiting for the admin of {school} to approve "
        "it. Ask the school admin to approve it; you can log in once it is approved.",
        Fixer.SCHOOL_ADMIN),
    "registration.phone_registered": ErrorSpec(
        409,
        "该手机号已注册(账号 {account})。不记得账号或密码时,用手机号短信验证码登录后在个人设置查看账号并重置密码;"
        "如登录后显示的是家长或学生身份,请提供手机号联系学生所在学校管理员或平台技术支持解绑手机号。",
        "This phone is already registered (account {account}). If you forgot the account or password, log in with "
        "the phone and a text-message code, then see the account and reset the password in your settings; if it "
        "logs in as a parent or student, ask that student's school admin or platform support to unbind the phone.",
        Fixer.SELF),
    "registration.refused_before": ErrorSpec(
        409,
        "该身份证号或手机号已提交过注册申请(账号 {account}),{school}的学校管理员未通过审核。请在“注册进度”中查看原因,"
        "修改后重新提交,无需重新注册。",
        "This ID number or phone already applied (account {account}), and the admin of {school} refused the "
        "application. See the reason under “Registration status” and submit it again there; there is no need "
        "to register anew.",
        Fixer.SELF),
    "registration.code_required": ErrorSpec(
        400, "请先点击“获取验证码”,再填写手机收到的验证码。",
        "Click “Get code” first, then enter the code your phone received.", Fixer.SELF),
    "registration.throttled": ErrorSpec(
        429,
        "当前网络注册尝试次数过多,请在 {until} 之后再试。如为学校统一网络,请联系区县管理员。",
        "Too many registration attempts from your network; try again after {until}. If this is a school's "
        "shared network, contact the district admin.",
        Fixer.DISTRICT_ADMIN),
    # Approval (ACC-4) and the applicant's view of it
    "registration.not_allowed": ErrorSpec(
        403,
        "只有该校的学校管理员(或上级管理员)可以审核教师注册。",
        "Only the school's admin (or an admin above the school) may approve teacher registrations.",
        Fixer.SCHOOL_ADMIN),
    "registration.reason_required": ErrorSpec(
        400, "请填写不通过的原因(申请人会看到),不超过 200 字。",
        "Give the reason for refusing (the applicant sees it), at most 200 characters.", Fixer.SELF),
    "registration.already_decided": ErrorSpec(
        409, "该申请已经处理过了(当前状态:{state})。", "This application was already decided ({state}).",
        Fixer.SELF),
    "registration.status_login_failed": ErrorSpec(
        400,
        "账号或密码不正确。请输入注册时填写的账号(或手机号)和密码。",
        "Wrong account or password. Enter the account name (or phone) and the password you registered with.",
        Fixer.SELF),
    "registration.not_refused": ErrorSpec(
        409,
        "只有未通过的申请可以重新提交;当前状态:{state}。",
        "Only a refused application can be submitted again; its state is {state}.",
        Fixer.SELF),
}
