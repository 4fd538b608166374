"""The accounts error catalogue: every refusal this app raises, in Chinese and English, with who can fix it.

It joins the one catalogue at start (core.errors.register_catalogues); a code defined twice fails there.

- login: Login throttling by challenge (AUTH-7, issue 10), school NAT addresses, and failing closed when the
cache is unreachable; who can fix each refusal.
- recovery: Errors of password recovery, login by SMS code and the admins' second factor (AUTH-4, AUTH-6, HELP-1;
seeds 000 #3 #5, 002 login and password sections, 003 "忘记账号和密码", 004 途径三).
- resets: Errors of password resets by others and of the audit log (AUTH-5, NFR-1; seeds 002 §2 §5 §6, 004).
- children: Errors of linking children to a parent account (ACC-6, ACC-7, HELP-1; seed 000 学生/家长常见问题 1 and 7,
seed 004 “家长如何关联自己的孩子”).
"""

from renrentong.core.errors import ErrorSpec, Fixer

_BASE = {
    # Authentication and login (AUTH-1, AUTH-7, HELP-1; seeds 000 #3, 002 login section)
    "auth.required": ErrorSpec(401, "请先登录。", "Please log in first.", Fixer.SELF),
    "auth.token_invalid": ErrorSpec(
        401, "登录凭证无效或已过期,请重新登录。", "Your token is invalid or has expired; log in again.", Fixer.SELF
    ),
    "login.missing_fields": ErrorSpec(400, "请输入账号和密码。", "Enter your account and password.", Fixer.SELF),
    "login.unknown_account": ErrorSpec(
        400,
        "账号不存在:该账号、手机号、身份证号或学籍号在平台上没有生成账号。学生和家长账号由学校管理员导入学生数据后生成,"
        "请联系学校管理员核实是否导入或导入有误。教师可在登录页的“教师注册”自行注册账号,或由学校管理员导入。",
        "No such account: no account was created for this account number, phone, ID number or student number. "
        "Student and parent accounts are created when the school admin imports students; ask the school admin "
        "to check the import. Teachers register themselves with “Teacher registration” on the login page, or "
        "the school admin imports them.",
        Fixer.SCHOOL_ADMIN,
    ),
    "login.ambiguous": ErrorSpec(
        400,
        "该号码对应多个账号,请改用账号登录。账号可在学校下发的账号条上找到,或由学校管理员查询。",
        "This number belongs to several accounts; log in with your account number instead. It is on the account "
        "slip from your school, or the school admin can look it up.",
        Fixer.SCHOOL_ADMIN,
    ),
    "login.wrong_password": ErrorSpec(
        400,
        "密码不正确(密码区分大小写)。再错 {remaining} 次后,登录需先完成一次安全验证(页面自动进行,约需几秒),"
        "账号不会被锁定。忘记密码可通过“找回密码”自助重置,学生也可请家长或班主任重置。",
        "Wrong password (passwords are case-sensitive). After {remaining} more wrong tries, logging in needs a "
        "security check first (the page does it by itself in a few seconds); the account is not locked. Reset "
        "a forgotten password with “Forgot password”; a student can also ask a parent or the class head teacher.",
        Fixer.SELF,
    ),
    "login.slow_down": ErrorSpec(
        429,
        "密码错误次数较多,请在 {retry_after} 秒后再试。忘记密码可通过“找回密码”重置。",
        "Several wrong passwords; try again in {retry_after} seconds. Reset a forgotten password with "
        "“Forgot password”.",
        Fixer.SELF,
    ),
    "login.locked": ErrorSpec(
        429,
        "密码错误次数过多,该账号在当前网络已锁定至 {until}。到时自动解锁;通过“找回密码”重置密码可立即解锁,"
        "学校管理员也可为你重置密码。",
        "Too many wrong passwords: this account is locked from your network until {until}. It unlocks by itself "
        "then; resetting the password with “Forgot password” unlocks it at once, and the school admin can reset "
        "it for you.",
        Fixer.SCHOOL_ADMIN,
    ),
    "login.source_throttled": ErrorSpec(
        429,
        "当前网络登录失败次数异常,已暂停登录至 {until}。如为学校统一网络,请联系区县管理员。",
        "Unusually many failed logins from your network; logins from it are paused until {until}. If this is a "
        "school's shared network, contact the district admin.",
        Fixer.DISTRICT_ADMIN,
    ),
    "login.school_not_tenant": ErrorSpec(
        403,
        "用户所在学校不在平台的租户中。新增学校需由区县管理员在平台上登记(添加租户)后才能登录。",
        "Your school is not registered on the platform (not a tenant). The district admin must register the "
        "school before its users can log in.",
        Fixer.DISTRICT_ADMIN,
    ),
    "login.frozen": ErrorSpec(
        403,
        "账号已被冻结,无法登录。请联系学校管理员解冻。",
        "This account is frozen and cannot log in. Ask the school admin to unfreeze it.",
        Fixer.SCHOOL_ADMIN,
    ),
    "login.left_school": ErrorSpec(
        403,
        "账号已离校,无法登录。如仍在读或已转入新学校,请联系现就读学校的管理员。",
        "This account has left school and cannot log in. If you are still enrolled or moved to a new school, "
        "contact the admin of your current school.",
        Fixer.SCHOOL_ADMIN,
    ),
    "login.deleted": ErrorSpec(
        403,
        "账号已删除,在学校回收站中保留,可恢复:{restorer}可以恢复该账号。",
        "This account was deleted and is kept in the school's recycle bin: {restorer} can restore it.",
        Fixer.SCHOOL_ADMIN,
    ),
    "login.pending": ErrorSpec(
        403,
        "账号正在等待学校管理员审核,审核通过后即可登录。",
        "This account is waiting for the school admin's approval; you can log in once it is approved.",
        Fixer.SCHOOL_ADMIN,
    ),
    "login.initial_expired": ErrorSpec(
        403,
        "初始密码已过期(有效期 {days} 天)。请联系班主任或学校管理员重置密码,或通过“找回密码”自助重置。",
        "The initial password has expired (valid for {days} days). Ask the class head teacher or the school admin "
        "to reset it, or use “Forgot password”.",
        Fixer.SCHOOL_ADMIN,
    ),
    "login.no_identity": ErrorSpec(
        403,
        "账号没有可用的身份(学生、家长、教师或管理员)。请联系学校管理员核实。",
        "This account has no identity (student, parent, teacher or admin) to act as. Ask the school admin.",
        Fixer.SCHOOL_ADMIN,
    ),
    # Passwords (AUTH-3)
    "password.change_required": ErrorSpec(
        403,
        "首次登录请先修改初始密码。",
        "Change your initial password before you continue.",
        Fixer.SELF,
    ),
    "password.wrong_current": ErrorSpec(400, "当前密码不正确。", "The current password is wrong.", Fixer.SELF),
    "password.mismatch": ErrorSpec(400, "两次输入的新密码不一致。", "The two new passwords differ.", Fixer.SELF),
    "password.length": ErrorSpec(
        400, "密码长度须为 {min}-{max} 位。", "The password must be {min} to {max} characters long.", Fixer.SELF
    ),
    "password.needs_digit": ErrorSpec(400, "密码须包含数字。", "The password must contain a digit.", Fixer.SELF),
    "password.needs_upper": ErrorSpec(
        400, "密码须包含大写字母。", "The password must contain an upper-case letter.", Fixer.SELF
    ),
    "password.needs_lower": ErrorSpec(
        400, "密码须包含小写字母。", "The password must contain a lower-case letter.", Fixer.SELF
    ),
    "password.no_symbols": ErrorSpec(
        400,
        "密码只能由数字和大小写字母组成,不可包含特殊字符或空格。",
        "The password may contain only digits and letters, no symbols or spaces.",
        Fixer.SELF,
    ),
    "password.classes": ErrorSpec(
        400,
        "密码须至少包含大写字母、小写字母、数字、符号中的 3 类。",
        "The password must contain at least 3 of: upper-case letters, lower-case letters, digits, symbols.",
        Fixer.SELF,
    ),
    "password.is_initial": ErrorSpec(
        400, "新密码不能与初始密码相同。", "The new password must differ from the initial password.", Fixer.SELF
    ),
    "password.common": ErrorSpec(
        400,
        "该密码过于常见,容易被猜到,请换一个。",
        "This password is too common and easy to guess; choose another.",
        Fixer.SELF,
    ),
    "password.contains_account": ErrorSpec(
        400,
        "密码不能包含账号或手机号。",
        "The password must not contain your account number or phone.",
        Fixer.SELF,
    ),
    "password.same_as_current": ErrorSpec(
        400, "新密码不能与当前密码相同。", "The new password must differ from the current one.", Fixer.SELF
    ),
    # Identities and scope (ACC-1, NFR-2)
    "identity.not_yours": ErrorSpec(
        404,
        "没有找到该身份。只能切换到本账号拥有的身份。",
        "No such identity. You can only switch to identities of your own account.",
        Fixer.SELF,
    ),
    "identity.required": ErrorSpec(
        403, "请先选择身份。", "Choose an identity first.", Fixer.SELF
    ),
}

_LOGIN = {
    "login.wrong_password_challenge_next": ErrorSpec(
        400,
        "密码不正确(密码区分大小写)。下次登录需先完成一次安全验证(页面自动进行,约需几秒),账号不会被锁定。"
        "忘记密码可通过“找回密码”或“验证码登录”进入,学生也可请家长或班主任重置。",
        "Wrong password (passwords are case-sensitive). The next login needs a security check first (the page "
        "does it by itself in a few seconds); the account is not locked. If you forgot the password, use “Forgot "
        "password” or log in with a text-message code; a student can also ask a parent or the class head teacher.",
        Fixer.SELF,
    ),
    "login.challenge_required": ErrorSpec(
        429,
        "该账号或当前网络近期登录失败较多,为保护账号,本次登录需先完成一次安全验证(页面自动进行,约需几秒),"
        "完成后再点“登录”即可,账号不会被锁定。也可用“验证码登录”或“找回密码”。",
        "Many failed logins for this account or from your network lately: to protect the account this login "
        "needs a security check first (the page does it by itself in a few seconds), then press “Log in” again; "
        "the account is not locked. You can also log in with a text-message code or use “Forgot password”.",
        Fixer.SELF,
    ),
    "children.link_tries_exceeded": ErrorSpec(
        429,
        "该学生账号或当前网络近期密码错误较多,暂时不能用账号和密码关联孩子。请 15 分钟后再试,或请孩子先在登录页登录"
        "(会有一次安全验证)后确认密码,也可请班主任或学校管理员核对账号。",
        "Many wrong passwords for this student account or from your network lately, so linking by account and "
        "password is paused. Try again in 15 minutes, or have the child log in on the login page (with a security "
        "check) to confirm the password; the class head teacher or the school admin can check the account.",
        Fixer.CLASS_HEAD_TEACHER,
    ),
    "service.busy": ErrorSpec(
        503,
        "服务繁忙,暂时无法核对密码或发送验证码,请稍后再试。如持续出现,请联系平台技术支持。",
        "The service is busy and cannot check passwords or send codes right now; try again shortly. If it "
        "persists, contact platform support.",
        Fixer.SUPPORT,
    ),
    "networks.not_allowed": ErrorSpec(
        403,
        "只有本校的学校管理员或上级区域管理员可以登记学校的网络出口地址。",
        "Only the school's admin or an admin of a region above it may register the school's network addresses.",
        Fixer.SCHOOL_ADMIN,
    ),
    "networks.invalid_address": ErrorSpec(
        400,
        "“{value}”不是有效的 IP 地址或网段(例如 101.6.8.7 或 101.6.8.0/28)。",
        "“{value}” is not a valid IP address or network (e.g. 101.6.8.7 or 101.6.8.0/28).",
        Fixer.SELF,
    ),
    "networks.too_wide": ErrorSpec(
        400,
        "网段 {value} 过大:一所学校的出口地址最多登记 /{limit} 网段(IPv6 为 /48),请登记学校实际使用的地址。",
        "Network {value} is too wide: register at most a /{limit} (a /48 for IPv6), the addresses the school "
        "really uses.",
        Fixer.SELF,
    ),
    "networks.not_public": ErrorSpec(
        400,
        "{value} 是{kind},不是学校上网使用的公网出口地址,不能登记。请登记学校网络在互联网上显示的公网地址"
        "(可向学校网络管理员或运营商查询)。",
        "{value} is {kind}, not the public address a school's network reaches the internet from, so it "
        "cannot be registered. Register the school's public address (ask the school's network admin or its "
        "internet provider).",
        Fixer.SELF,
    ),
    "networks.too_many": ErrorSpec(
        400,
        "每所学校最多登记 {limit} 个网络出口地址。请先删除不再使用的地址;确需更多请联系上级区域管理员。",
        "A school may register at most {limit} network addresses. Remove the ones no longer used first; if the "
        "school really needs more, ask the admin of the region above it.",
        Fixer.SCHOOL_ADMIN,
    ),
    "networks.invalid_threshold": ErrorSpec(
        400,
        "阈值须在 {min} 到 {max} 之间(15 分钟内的登录失败和初始密码登录次数)。学校管理员最高可设 3000,"
        "更高的阈值请联系上级区域管理员设置。",
        "The threshold must be between {min} and {max} (failed and initial-password logins in 15 minutes). A "
        "school admin may set up to 3,000; for more, ask the admin of the region above the school.",
        Fixer.SELF,
    ),
    "networks.not_found": ErrorSpec(
        404,
        "没有找到该网络地址,或你无权管理。",
        "No such network address, or you may not manage it.",
        Fixer.SCHOOL_ADMIN,
    ),
}

_RECOVERY = {
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

_RESETS = {
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

_CHILDREN = {
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

_PRIVACY = {
    # Revealing one full number in a table cell (NFR-1, issue 12); the ID number's refusal is core's.
    "privacy.reveal_phone_not_allowed": ErrorSpec(
        403,
        "完整手机号仅学校管理员及以上管理员可查看，且每次查看都会记录。如需联系，请找学校管理员。",
        "Only school admins and admins above them may see a full phone number, and every view is logged. Ask "
        "the school admin if you need to reach this person.",
        Fixer.SCHOOL_ADMIN,
    ),
}

ENTRIES = {**_BASE, **_LOGIN, **_RECOVERY, **_RESETS, **_CHILDREN, **_PRIVACY}
