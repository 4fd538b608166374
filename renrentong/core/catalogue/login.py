"""Login throttling by challenge (AUTH-7, issue 10), school NAT addresses, and failing closed when the
cache is unreachable; who can fix each refusal."""

from renrentong.core.errors import ErrorSpec, Fixer

ENTRIES = {
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
