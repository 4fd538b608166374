"""The verification error catalogue: every refusal this app raises, in Chinese and English, with who can fix it.

It joins the one catalogue at start (core.errors.register_catalogues); a code defined twice fails there.

- verification: Errors of verification codes, TOTP and phone binding (SMS-1..SMS-3, ACC-8; seeds 000, 002, 003).
"""

from renrentong.core.errors import ErrorSpec, Fixer

_VERIFICATION = {
    # Sending a code (SMS-1, SMS-2, SMS-3; seed 003 "使用手机号获取短信失败")
    "verification.invalid_target": ErrorSpec(
        400, "“{value}”不是有效的手机号码或邮箱地址。", "“{value}” is not a valid mobile number or email address.",
        Fixer.SELF),
    "verification.out_of_province": ErrorSpec(
        400,
        "只有{province}的手机号能收到验证码,外省手机号({place})不能使用。请改用{province}的手机号。",
        "Only mobile numbers of {province} receive codes; numbers from elsewhere ({place}) cannot be used. Use a "
        "{province} number.",
        Fixer.SELF),
    "verification.resend_wait": ErrorSpec(
        429, "验证码已发送,请在 {seconds} 秒后再重新获取。", "A code was just sent; you can ask for another in "
        "{seconds} seconds.", Fixer.SELF),
    # Daily caps (SMS-2). Each names who can really help the person who meets it (issue 10): a school
    # admin's password reset only helps those who wanted a code to log in or recover.
    "verification.daily_limit": ErrorSpec(
        429,
        "该号码 24 小时内已获取 {limit} 次验证码,达到上限(从每次获取时起算 24 小时)。请在 {until} 之后再试;"
        "急需登录的,可请学校管理员(学生也可请班主任)重置密码后用账号和新密码登录。",
        "This number has received {limit} codes in the last 24 hours, the limit (each send counts for 24 hours "
        "from when it was made). Try again after {until}; if you need to log in now, the school admin (for a "
        "student, also the class head teacher) can reset your password so you log in with it.",
        Fixer.SCHOOL_ADMIN),
    "verification.daily_limit_wait": ErrorSpec(
        429,
        "该号码 24 小时内已获取 {limit} 次验证码,达到上限(从每次获取时起算 24 小时)。请在 {until} 之后再试。",
        "This number has received {limit} codes in the last 24 hours, the limit (each send counts for 24 hours "
        "from when it was made). Try again after {until}.",
        Fixer.SELF),
    "verification.daily_limit_register": ErrorSpec(
        429,
        "该号码 24 小时内已获取 {limit} 次验证码,达到上限(从每次获取时起算 24 小时)。请在 {until} 之后再注册;"
        "教师也可以请任教学校的管理员直接导入教师账号,无需自行注册。",
        "This number has received {limit} codes in the last 24 hours, the limit (each send counts for 24 hours "
        "from when it was made). Register after {until}; a teacher can also ask the admin of their school to "
        "import the account, with no registration needed.",
        Fixer.SELF),
    "verification.daily_limit_admin": ErrorSpec(
        429,
        "该号码 24 小时内已获取 {limit} 次验证码,达到上限。管理员账号请改用验证器应用的动态码(登录后在“验证器应用”"
        "中添加,不受短信次数限制);或在 {until} 之后再试。急需时请联系上级管理员或平台技术支持。",
        "This number has received {limit} codes in the last 24 hours, the limit. An admin account should use "
        "the code of an authenticator app instead (add one under “Authenticator app” once logged in; it needs "
        "no text messages), or try again after {until}. If it is urgent, contact the admin above you or "
        "platform support.",
        ("上级管理员或平台技术支持", "the admin above you or platform support")),
    "verification.second_factor_limit": ErrorSpec(
        429,
        "今天发送到该手机的登录二次验证短信已达上限({limit} 次,与找回密码等其他验证码分开计算)。请改用验证器应用的"
        "动态码完成登录(登录后在“验证器应用”中添加),或在 {until} 之后再试;急需时请联系上级管理员或平台技术支持。",
        "Second-factor text messages to this phone reached today's limit ({limit}, counted apart from recovery "
        "and other codes). Complete the login with an authenticator app's code (add one under “Authenticator "
        "app” once logged in), or try again after {until}; if it is urgent, contact the admin above you or "
        "platform support.",
        ("上级管理员或平台技术支持", "the admin above you or platform support")),
    "verification.source_limit": ErrorSpec(
        429,
        "当前网络 24 小时内获取验证码的次数已达上限({limit} 次),请在 {until} 之后再试。如为学校统一网络,请联系区县管理员。",
        "Codes requested from your network in the last 24 hours reached the limit ({limit}); try again after "
        "{until}. If this is a school's shared network, contact the district admin.",
        Fixer.DISTRICT_ADMIN),
    "verification.account_limit": ErrorSpec(
        429,
        "该账号 24 小时内获取验证码的次数已达上限({limit} 次),请在 {until} 之后再试;急需登录的,可请学校管理员"
        "(学生也可请班主任)重置密码。",
        "This account has asked for {limit} codes in the last 24 hours, the limit; try again after {until}. If you "
        "need to log in now, the school admin (for a student, also the class head teacher) can reset your "
        "password.",
        Fixer.SCHOOL_ADMIN),
    "verification.account_limit_admin": ErrorSpec(
        429,
        "该管理员账号 24 小时内获取验证码的次数已达上限({limit} 次)。请改用验证器应用的动态码,或在 {until} 之后再试;"
        "急需时请联系上级管理员或平台技术支持。",
        "This admin account has asked for {limit} codes in the last 24 hours, the limit. Use an authenticator "
        "app's code instead, or try again after {until}; if it is urgent, contact the admin above you or "
        "platform support.",
        ("上级管理员或平台技术支持", "the admin above you or platform support")),
    "verification.provider_failed": ErrorSpec(
        424,
        "短信发送失败:短信网关暂时故障或拥堵。本次不计入每日次数,请稍后再试;如持续失败,请联系平台技术支持。",
        "The text message could not be sent: the SMS gateway is failing or congested. This attempt does not count "
        "towards your daily limit; try again later, and contact platform support if it keeps failing.",
        Fixer.SUPPORT),
    "verification.outbox_disabled": ErrorSpec(
        424,
        "短信发送失败:平台尚未配置短信服务。本次不计入每日次数,请联系平台技术支持。",
        "The text message could not be sent: the platform has no SMS service configured. This attempt does not "
        "count towards your daily limit; contact platform support.",
        Fixer.SUPPORT),
    "verification.provider_busy": ErrorSpec(
        429,
        "短信网关对该号码限流(发送过于频繁),请稍后再试。本次不计入每日次数。",
        "The SMS gateway is limiting messages to this number (too many too fast); try again later. This attempt "
        "does not count towards your daily limit.",
        Fixer.SELF),
    "verification.provider_rejected_number": ErrorSpec(
        400,
        "短信网关拒绝了该号码(号码无效或已停机),请核对手机号。本次不计入每日次数。",
        "The SMS gateway refused this number (invalid or out of service); check the number. This attempt does "
        "not count towards your daily limit.",
        Fixer.SELF),
    # Checking a code (SMS-1)
    "verification.wrong_code": ErrorSpec(
        400, "验证码不正确,还可尝试 {remaining} 次。", "Wrong code; {remaining} more tries.", Fixer.SELF),
    "verification.voided": ErrorSpec(
        400, "验证码错误次数过多,已失效,请重新获取。", "Too many wrong entries: this code is void. Ask for a new one.",
        Fixer.SELF),
    "verification.expired": ErrorSpec(
        400, "验证码已过期(有效期 {minutes} 分钟),请重新获取。",
        "The code has expired (it is valid for {minutes} minutes); ask for a new one.", Fixer.SELF),
    "verification.used": ErrorSpec(
        400, "该验证码已使用过,请重新获取。", "This code has already been used; ask for a new one.", Fixer.SELF),
    "verification.unknown": ErrorSpec(
        400, "验证码无效:它不是为本次操作获取的,请重新获取。",
        "This code is not valid here: it was not sent for this request. Ask for a new one.", Fixer.SELF),
    "verification.code_missing": ErrorSpec(400, "请输入验证码。", "Enter the code.", Fixer.SELF),
    # Authenticator apps
    "totp.wrong_code": ErrorSpec(
        400, "动态验证码不正确或已使用,请输入验证器应用中当前显示的 6 位数字。",
        "The authenticator code is wrong or was already used; enter the 6 digits your app shows now.", Fixer.SELF),
    "totp.not_started": ErrorSpec(
        400, "请先开始绑定验证器应用。", "Start adding the authenticator app first.", Fixer.SELF),
    # The outbox (SMS-3)
    "outbox.not_allowed": ErrorSpec(
        403, "只有学校管理员及以上管理员可以查看短信发件箱。", "Only school admins and admins above them may read "
        "the SMS outbox.", Fixer.SCHOOL_ADMIN),
    # Phone binding (ACC-8; seeds 002 and 003)
    "phone.invalid": ErrorSpec(
        400, "“{value}”不是有效的手机号码,请输入 11 位手机号。", "“{value}” is not a valid mobile number; enter 11 "
        "digits.", Fixer.SELF),
    "phone.taken": ErrorSpec(
        409,
        "该手机号已绑定其他账号({account},{name})。一个手机号只能绑定一个账号:如那是你的另一个账号,请用它登录后"
        "解绑;如不是,请联系该账号所在学校的管理员解绑。",
        "This phone is bound to another account ({account}, {name}). A phone belongs to one account only: if "
        "that account is yours, log in to it and unbind the phone; if not, ask the admin of its school to unbind "
        "it.",
        Fixer.SCHOOL_ADMIN),
    "phone.same": ErrorSpec(
        400, "新手机号与当前绑定的手机号相同。", "The new phone is the one already bound.", Fixer.SELF),
    "phone.password_required": ErrorSpec(
        400, "更换手机号需要输入当前密码。忘记密码请先通过“找回密码”重置。",
        "Changing the phone needs your current password. If you forgot it, reset it with “Forgot password” first.",
        Fixer.SELF),
    "phone.not_requested": ErrorSpec(
        400, "请先获取发到新手机号的验证码。", "First ask for a code to be sent to the new phone.", Fixer.SELF),
    "phone.unbind_not_allowed": ErrorSpec(
        403,
        "只有账号所在学校的管理员、上级管理员或平台技术支持可以解绑他人的手机号。",
        "Only the admin of the account's school, an admin above it, or platform support may unbind someone "
        "else's phone.",
        Fixer.SCHOOL_ADMIN),
    "phone.lookup_limit": ErrorSpec(
        429,
        "今天尝试绑定的手机号次数已达上限({limit} 次),请在 {until} 之后再试。",
        "You have tried to bind phones {limit} times today, the limit; try again after {until}.",
        Fixer.SELF),
    "phone.none_bound": ErrorSpec(
        400, "该账号没有绑定手机号。", "This account has no phone bound.", Fixer.SELF),
}

ENTRIES = {**_VERIFICATION}
