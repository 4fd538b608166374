"""User-facing errors: one catalogue, Chinese and English text, and who can fix each (HELP-1).

Every refusal a user can meet is raised as a UserFacingError with a code from CATALOGUE. Pages show
it; the API returns it as {"code", "message", "who_can_fix", "contact"} with its 4xx status.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language


class Fixer:
    """Who can fix a problem, in both languages."""

    SELF = ("本人", "you")
    CLASS_HEAD_TEACHER = ("班主任", "the class head teacher")
    SCHOOL_ADMIN = ("学校管理员", "the school admin")
    DISTRICT_ADMIN = ("区县管理员", "the district admin")
    PROVINCE_ADMIN = ("省级管理员", "the province admin")
    SUPPORT = ("平台技术支持", "platform support")


@dataclass(frozen=True)
class ErrorSpec:
    status: int
    zh: str
    en: str
    who: tuple[str, str]


CATALOGUE: dict[str, ErrorSpec] = {
    # Authentication and login (AUTH-1, AUTH-7, HELP-1; seeds 000 #3, 002 login section)
    "auth.required": ErrorSpec(401, "请先登录。", "Please log in first.", Fixer.SELF),
    "auth.token_invalid": ErrorSpec(
        401, "登录凭证无效或已过期,请重新登录。", "Your token is invalid or has expired; log in again.", Fixer.SELF
    ),
    "login.missing_fields": ErrorSpec(400, "请输入账号和密码。", "Enter your account and password.", Fixer.SELF),
    "login.unknown_account": ErrorSpec(
        400,
        "账号不存在:该账号、手机号、身份证号或学籍号在平台上没有生成账号。学生和家长账号由学校管理员导入学生数据后生成,"
        "请联系学校管理员核实是否导入或导入有误。",
        "No such account: no account was created for this account number, phone, ID number or student number. "
        "Student and parent accounts are created when the school admin imports students; ask the school admin "
        "to check the import.",
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
        "密码不正确(密码区分大小写),还可尝试 {remaining} 次,之后需等待。忘记密码可通过“找回密码”自助重置,"
        "学生也可请家长或班主任重置。",
        "Wrong password (passwords are case-sensitive); {remaining} more tries before you must wait. Reset it "
        "yourself with “Forgot password”; a student can also ask a parent or the class head teacher.",
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
    "scope.not_found": ErrorSpec(
        404,
        "没有找到该内容,或你无权查看。如确需访问,请联系你的学校管理员或上级管理员。",
        "Not found, or you may not see it. If you need access, ask your school admin or an admin above you.",
        Fixer.SCHOOL_ADMIN,
    ),
    "privacy.reveal_not_allowed": ErrorSpec(
        403,
        "完整身份证号仅学校管理员及以上管理员可查看,且每次查看都会记录。如需核对,请联系学校管理员。",
        "Only school admins and admins above them may see a full ID number, and every view is logged. Ask the "
        "school admin if you need it checked.",
        Fixer.SCHOOL_ADMIN,
    ),
    # Settings (AUTH-2, AUTH-3 per region)
    "policy.not_allowed": ErrorSpec(
        403,
        "只有区域管理员和学校管理员可以修改账号设置。",
        "Only region and school admins may change account settings.",
        Fixer.SCHOOL_ADMIN,
    ),
    "policy.field_not_allowed": ErrorSpec(
        403,
        "设置项“{field}”由区县(或上级)管理员统一规定,学校不能修改。",
        "The setting “{field}” is decided by the district (or a higher) admin; a school cannot change it.",
        Fixer.DISTRICT_ADMIN,
    ),
    "policy.invalid_value": ErrorSpec(
        400,
        "设置项“{field}”的值无效,可选:{allowed}。",
        "Invalid value for “{field}”; allowed: {allowed}.",
        Fixer.SELF,
    ),
    "policy.weak_default_password": ErrorSpec(
        400,
        "学校默认密码须为 8-20 位,并至少包含大写字母、小写字母、数字、符号中的 3 类。",
        "The school default password must be 8-20 characters with at least 3 of: upper-case letters, "
        "lower-case letters, digits, symbols.",
        Fixer.SELF,
    ),
    "request.invalid": ErrorSpec(
        400, "请求内容有误:{detail}", "The request is invalid: {detail}", Fixer.SELF
    ),
    "request.not_found": ErrorSpec(404, "没有该页面或接口。", "No such page or endpoint.", Fixer.SELF),
    "request.method_not_allowed": ErrorSpec(
        405, "该接口不支持此请求方法。", "This endpoint does not accept that method.", Fixer.SELF
    ),
}


class UserFacingError(Exception):
    """A refusal the user can act on. `params` fill the message placeholders."""

    def __init__(self, code: str, *, contact: str = "", status: int | None = None, **params: object) -> None:
        if code not in CATALOGUE:
            raise KeyError(f"unknown error code {code!r}")
        self.code = code
        self.params = params
        self.contact = contact
        self.spec = CATALOGUE[code]
        self.status = status or self.spec.status
        super().__init__(code)

    @property
    def message(self) -> str:
        return in_language(self.spec.zh, self.spec.en).format(**self.params)

    @property
    def who_can_fix(self) -> str:
        return in_language(*self.spec.who)

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "who_can_fix": self.who_can_fix, "contact": self.contact}


def in_language(zh: str, en: str) -> str:
    return en if (get_language() or "zh-hans").startswith("en") else zh
