"""User-facing errors: one catalogue, Chinese and English text, and who can fix each (HELP-1).

Every refusal a user can meet is raised as a UserFacingError with a code from CATALOGUE. Pages show
it; the API returns it as {"code", "message", "who_can_fix", "contact"} with its 4xx status.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
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
    "request.invalid": ErrorSpec(
        400, "请求内容有误:{detail}", "The request is invalid: {detail}", Fixer.SELF
    ),
    "request.not_found": ErrorSpec(404, "没有该页面或接口。", "No such page or endpoint.", Fixer.SELF),
    "request.method_not_allowed": ErrorSpec(
        405, "该接口不支持此请求方法。", "This endpoint does not accept that method.", Fixer.SELF
    ),
    # Roster files (IMP-1, IMP-6): why an uploaded file cannot be read at all; rosters/reader.py.
    "import.file_too_large": ErrorSpec(
        413,
        "文件超过 20 MB 的上限。请删除无关的工作表、图片和多余的行列后再上传,或把名单拆成几个文件分别导入。",
        "The file is larger than the 20 MB limit. Remove unrelated sheets, pictures and surplus rows and columns, "
        "or split the roster into several files.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_empty": ErrorSpec(
        400,
        "文件是空的,或第一个工作表中没有内容。请把名单填在第一个工作表里,保存后再上传。",
        "The file is empty, or its first sheet has nothing in it. Put the roster on the first sheet, save, and "
        "upload again.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_not_spreadsheet": ErrorSpec(
        400,
        "无法识别“{name}”:它的内容不是 .xlsx、.xls 或 .csv 表格(按文件内容判断,与扩展名无关)。请用 Excel 或 WPS "
        "打开后“另存为”Excel 工作簿(.xlsx)再上传;CSV 文件须是 UTF-8 或 GB18030(GBK)编码的文本。",
        "“{name}” is not an .xlsx, .xls or .csv spreadsheet (judged by its content, not its extension). Open it "
        "in Excel or WPS and save it as an Excel workbook (.xlsx); a CSV file must be UTF-8 or GB18030 (GBK) text.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_unsupported_format": ErrorSpec(
        400,
        "“{name}”是 {format} 格式的文件,不能直接导入。请用 Excel 或 WPS 打开后“另存为”Excel 工作簿(.xlsx)再上传。",
        "“{name}” is a {format} file and cannot be imported as it is. Open it in Excel or WPS and save it as an "
        "Excel workbook (.xlsx).",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_damaged": ErrorSpec(
        400,
        "文件已损坏或内部结构异常,无法安全读取。请用 Excel 或 WPS 打开确认内容后,“另存为”新的 .xlsx 文件再上传。",
        "The file is damaged or its internal structure is inconsistent, so it cannot be read safely. Open it in "
        "Excel or WPS, check it, and save it as a new .xlsx file.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_too_many_parts": ErrorSpec(
        400,
        "文件内部有 {count} 个部件,超过上限 {limit} 个(正常的名单表格只有几十个)。请只保留名单所在的工作表,"
        "另存为新的 .xlsx 再上传。",
        "The file holds {count} internal parts, more than the limit of {limit} (a roster has a few dozen). Keep "
        "only the roster sheet and save it as a new .xlsx.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_unpacked_too_large": ErrorSpec(
        413,
        "文件解压后的内容过大,或压缩比异常(可能是恶意构造的“压缩炸弹”),为安全起见不予读取。请只保留名单所在的工作表,"
        "另存为新的 .xlsx 再上传。",
        "Unpacked, the file would be far too large, or it is compressed suspiciously well (a possible zip bomb), "
        "so it is not read. Keep only the roster sheet and save it as a new .xlsx.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_macro": ErrorSpec(
        400,
        "文件包含宏(VBA 代码或宏表),为安全起见不予接受。请在 Excel 或 WPS 中“另存为”不含宏的 Excel 工作簿(*.xlsx)"
        "再上传。",
        "The file contains macros (VBA code or macro sheets) and is refused for safety. Save it in Excel or WPS as "
        "a macro-free Excel workbook (*.xlsx).",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_xml_doctype": ErrorSpec(
        400,
        "文件内部含有 XML 文档类型声明(DOCTYPE/ENTITY)。Excel 和 WPS 保存的表格不会有这种内容,它可能是恶意构造的文件,"
        "已拒绝。请用 Excel 或 WPS 打开后另存为新的 .xlsx 再上传。",
        "The file contains an XML document type declaration (DOCTYPE/ENTITY). Workbooks saved by Excel or WPS "
        "never do; it may be a malicious file and is refused. Open it in Excel or WPS and save it as a new .xlsx.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_encrypted": ErrorSpec(
        400,
        "文件设置了打开密码(已加密),无法读取。请在 Excel 或 WPS 中打开,取消文件密码后保存,再上传。",
        "The file is protected with a password (encrypted) and cannot be read. Open it in Excel or WPS, remove "
        "the password, save, and upload again.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_too_many_rows": ErrorSpec(
        413,
        "第一个工作表的使用范围有 {rows} 行(带格式的空行也计算在内),超过单次导入的上限 {limit} 行。请删除数据下方多余的行"
        "(选中整行后“删除”,而不只是清除内容),或把名单拆成几个文件。",
        "The first sheet's used range has {rows} rows (formatted empty rows count), more than the limit of "
        "{limit} per import. Delete the surplus rows below the data (delete whole rows, not just their contents), "
        "or split the roster into several files.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_too_many_columns": ErrorSpec(
        413,
        "第一个工作表有 {columns} 列,超过上限 {limit} 列。请只保留导入模板中的列。",
        "The first sheet has {columns} columns, more than the limit of {limit}. Keep only the template's columns.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_too_many_cells": ErrorSpec(
        413,
        "第一个工作表有 {rows} 行 × {columns} 列,超过单次导入的上限({limit} 个单元格)。请删除与名单无关的列和行,"
        "或把名单拆成几个文件。",
        "The first sheet has {rows} rows by {columns} columns, more than the limit of {limit} cells per import. "
        "Delete the columns and rows unrelated to the roster, or split it into several files.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_too_complex": ErrorSpec(
        413,
        "读取该文件超出了安全限制(内存或时间)。文件可能被恶意构造,或内容远超名单所需(如大量带格式的空白单元格、超长文字)。"
        "请只保留名单数据,另存为新的 .xlsx 再上传。",
        "Reading this file went past the safety limits (memory or time). It may be crafted to attack the "
        "server, or hold far more than a roster needs (many formatted blank cells, very long texts). Keep only "
        "the roster data and save it as a new .xlsx.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_unreadable": ErrorSpec(
        400,
        "表格读取失败:文件内容有误,无法解析。请用 Excel 或 WPS 打开确认后,另存为新的 .xlsx 再上传。",
        "The spreadsheet could not be read: its content is malformed. Open it in Excel or WPS, check it, and save "
        "it as a new .xlsx.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.header_missing": ErrorSpec(
        400,
        "表头缺少必填列:{missing}(每列写其中任一名称即可,列的顺序不限)。请检查表头行,或下载导入模板对照填写。",
        "The header row lacks required columns: {missing} (any one of the names will do, in any order). Check the "
        "header row, or download the import template.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.header_duplicate": ErrorSpec(
        400,
        "表头中有几列表示同一项:{headers}。请删除或改名多余的列后再上传。",
        "Several header columns mean the same thing: {headers}. Delete or rename the extra columns.",
        Fixer.SCHOOL_ADMIN,
    ),
}


def _load_feature_catalogues() -> None:
    """Each feature keeps its own entries in core/catalogue/<feature>.py as ENTRIES = {code: ErrorSpec};
    they join CATALOGUE here, so every code is known as soon as this module is, whoever imports it."""
    from renrentong.core import catalogue

    for module in pkgutil.iter_modules(catalogue.__path__):
        entries = importlib.import_module(f"{catalogue.__name__}.{module.name}").ENTRIES
        clash = CATALOGUE.keys() & entries.keys()
        if clash:
            raise ImproperlyConfigured(f"error codes defined twice: {sorted(clash)}")
        CATALOGUE.update(entries)


_load_feature_catalogues()


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
