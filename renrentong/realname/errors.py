"""The realname error catalogue: every refusal this app raises, in Chinese and English, with who can fix it.

It joins the one catalogue at start (core.errors.register_catalogues); a code defined twice fails there.

- realname: Errors of real-name verification and the real-name registry (RN-1..RN-4, HELP-1; seed 003 "实名认证",
"教师用户认证为家长" and "管理员管理问题").
- registration: Errors of teacher self-registration and its approval (ACC-4, HELP-1; seed 002 section 1 "账号注册",
seed 003 "注册失败").
"""

from renrentong.core.errors import ErrorSpec, Fixer

_REALNAME = {
    # Verification by the user (RN-1, RN-2)
    "realname.missing_fields": ErrorSpec(
        400, "请填写姓名和身份证号。", "Enter the name and the ID number.", Fixer.SELF),
    "realname.invalid_role": ErrorSpec(
        400, "请选择认证身份:教师、学生或家长。", "Choose what to verify as: teacher, student or parent.", Fixer.SELF),
    "realname.invalid_id_number": ErrorSpec(
        400,
        "身份证号 {value} 不是有效的 18 位身份证号(校验位或出生日期不对),请核对后重新输入。",
        "ID number {value} is not a valid 18-character ID number (check digit or birth date); check it and "
        "enter it again.",
        Fixer.SELF),
    "realname.not_found": ErrorSpec(
        400,
        "实名信息不存在或不正确。请:1. 核实身份证号和姓名是否输入正确;2. 确认身份证号和姓名填在对应位置(没有填错行);"
        "3. 核实姓名与身份证上的姓名一致;4. 如都无误,说明一号一名尚未录入学校的实名校验库,请联系学校管理员录入后再认证。",
        "The real-name record does not exist or does not match. 1. Check that the ID number and name are typed "
        "correctly; 2. that each is in its own field (not swapped); 3. that the name is the one on the ID card; "
        "4. if all are right, the school has not entered you in its real-name registry yet: ask the school admin "
        "to add you, then verify again.",
        Fixer.SCHOOL_ADMIN),
    "realname.number_mismatch": ErrorSpec(
        400,
        "姓名和身份证号正确,但{label}与学校录入的不一致。请核对{label};如学校录入有误,请联系学校管理员更正。",
        "The name and ID number are right, but the {label} differs from what the school entered. Check it; if "
        "the school's entry is wrong, ask the school admin to correct it.",
        Fixer.SCHOOL_ADMIN),
    "realname.name_id_swapped": ErrorSpec(
        400,
        "“姓名”一栏填的是身份证号,“身份证号”一栏填的不是身份证号:两栏可能填反了。请把姓名和身份证号分别填入对应的栏后"
        "重试。",
        "The name field holds an ID number and the ID number field does not: the two were probably swapped. Put the "
        "name and the ID number each in its own field and try again.",
        Fixer.SELF),
    "realname.already_verified": ErrorSpec(
        409,
        "认证失败:该实名信息已被其他账号({account})认证/激活。请用该账号登录;如不记得该账号,请咨询学校管理员"
        "用身份证号查询之前绑定的账号。",
        "Verification failed: this real-name record is already verified by another account ({account}). Log in "
        "with that account; if you do not remember it, the school admin can look up the bound account by the ID "
        "number.",
        Fixer.SCHOOL_ADMIN),
    "realname.already_yours": ErrorSpec(
        409, "你的账号已经用该实名信息完成认证,无需重复认证。",
        "Your account is already verified with this record; there is nothing more to do.", Fixer.SELF),
    "realname.account_verified_as_other": ErrorSpec(
        409,
        "本账号已认证为 {name}({id_number}),一个账号只能认证一个本人身份。如该认证有误,请联系学校管理员在实名校验库中更正。",
        "This account is already verified as {name} ({id_number}); an account is verified as one person only. "
        "If that is wrong, ask the school admin to correct the real-name registry.",
        Fixer.SCHOOL_ADMIN),
    "realname.other_person": ErrorSpec(
        409,
        "本账号登记的身份证号是 {id_number},与填写的不一致,不能认证为他人。如账号上的身份证号有误,请联系学校管理员更正。",
        "This account is registered with ID number {id_number}, not the one entered; it cannot be verified as "
        "someone else. If the account's ID number is wrong, ask the school admin to correct it.",
        Fixer.SCHOOL_ADMIN),
    "realname.class_missing": ErrorSpec(
        400,
        "学校班级不存在:实名信息中的班级“{class_name}”尚未在{school}建立。请联系学校管理员在班级管理中新增该班级后再认证。",
        "The class does not exist: the class “{class_name}” of your record has not been created at {school} yet. "
        "Ask the school admin to add the class in class management, then verify again.",
        Fixer.SCHOOL_ADMIN),
    "realname.other_school": ErrorSpec(
        409,
        "该实名信息登记在{school},不是你当前的学校。请先继续认证(勾选“继续在该校认证”后再提交),认证成功后在个人中心"
        "申请学校变更(转校),转入学校管理员审核通过即可。",
        "This real-name record is registered at {school}, not your current school. Verify there first (tick "
        "“Continue at that school” and submit again), then request a school change (transfer) from your personal "
        "page; the new school's admin approves it.",
        Fixer.SELF),
    "realname.role_mismatch": ErrorSpec(
        400,
        "该实名信息在学校登记的身份是“{role}”,请选择“{role}”后再认证。",
        "This record is registered by the school as “{role}”; choose “{role}” and verify again.",
        Fixer.SELF),
    "realname.parent_with_teacher_record": ErrorSpec(
        400,
        "家长认证请填写孩子的姓名、身份证号和学籍号。你填写的是学校登记的教师信息:如果你是教师,请选择“教师”认证。",
        "To verify as a parent, enter your child's name, ID number and student number. What you entered is a "
        "teacher's record: if you are the teacher, choose “Teacher”.",
        Fixer.SELF),
    "realname.child_not_enrolled": ErrorSpec(
        400,
        "孩子的实名信息在{school},但学校尚未为孩子创建学生账号,暂时无法关联。请联系孩子就读学校的管理员。",
        "Your child's record is at {school}, but the school has not created the student's account yet, so it "
        "cannot be linked now. Ask the admin of your child's school.",
        Fixer.SCHOOL_ADMIN),
    "realname.throttled": ErrorSpec(
        429,
        "实名认证尝试次数过多,请在 {until} 之后再试。如为学校统一网络,请联系区县管理员。",
        "Too many real-name verification attempts; try again after {until}. If this is a school's shared "
        "network, contact the district admin.",
        Fixer.DISTRICT_ADMIN),
    "realname.unbind_own_role": ErrorSpec(
        400,
        "只能自行解除家长认证。教师、学生的实名信息如有误,由学校管理员在实名校验库中更正。",
        "You can undo only a parent verification yourself. A teacher's or student's record is corrected by the "
        "school admin in the real-name registry.",
        Fixer.SCHOOL_ADMIN),
    "realname.already_unbound": ErrorSpec(
        409, "该认证已经解除。", "This verification was already undone.", Fixer.SELF),
    # The registry, for admins (RN-1, RN-3)
    "realname.not_allowed": ErrorSpec(
        403,
        "只有学校管理员和区县(市、省)管理员可以管理实名校验库。",
        "Only school admins and district (city, province) admins may manage the real-name registry.",
        Fixer.SCHOOL_ADMIN),
    "realname.choose_school": ErrorSpec(
        400, "请选择学校。", "Choose a school.", Fixer.SELF),
    "realname.student_needs_class": ErrorSpec(
        400, "学生须填写年级和班级,如“三年级1班”。", "A student needs a grade and class, e.g. 三年级1班 (“Grade 3 class 1”).",
        Fixer.SELF),
    "realname.invalid_class": ErrorSpec(
        400, "班级“{value}”无法识别,请写成如“三年级1班”“初一(2)班”。",
        "Class “{value}” is not recognised; write e.g. 三年级1班 or 初一(2)班.", Fixer.SELF),
    "realname.exists_here": ErrorSpec(
        409,
        "该身份证号已在本校实名校验库中({name},{role})。如姓名有误,可直接修改姓名。",
        "This ID number is already in this school's registry ({name}, {role}). If the name is wrong, correct "
        "the name.",
        Fixer.SELF),
    "realname.exists_elsewhere": ErrorSpec(
        409,
        "该身份证号的实名信息已在其他学校({school}),所以本校查询不到。请让本人先完成实名认证,再在个人中心申请转校到本校,"
        "由本校审核通过。",
        "The ID number's real-name record is at another school ({school}), which is why this school cannot find "
        "it. The person verifies first, then requests a transfer to this school from their personal page, and "
        "this school approves it.",
        Fixer.SCHOOL_ADMIN),
    "realname.id_not_editable": ErrorSpec(
        400,
        "实名信息的身份证号不能修改。如身份证号有误,请用“更换身份证号”新增一条实名信息:原记录作废、原绑定账号解除绑定,"
        "由本人用新的实名信息重新认证。",
        "The ID number of a record cannot be edited. If it is wrong, use “Replace ID number” to add a new record: "
        "the old one is retired, its account is unbound, and the person verifies again with the new record.",
        Fixer.SELF),
    "realname.id_number_not_editable": ErrorSpec(
        400,
        "身份证号不能直接修改。身份证号有误时,请在该记录上选择“更换身份证号”:会添加一条新记录,旧记录作废,"
        "用旧记录认证的账号解除绑定,需用新记录重新认证(接口:POST /api/v1/realname/entries/{entry_id}/replace)。"
        "姓名可以直接更正。",
        "An ID number is never edited in place. If it is wrong, choose \"Replace the ID number\" on the record "
        "(POST /api/v1/realname/entries/{entry_id}/replace): a new record is added, the old one is retired and the "
        "accounts verified with it are unbound and verify again with the new one. A name can be corrected here.",
        Fixer.SELF),
    "realname.entry_retired": ErrorSpec(
        409, "该实名信息已作废(已被新的记录替换),不能再修改。",
        "This record was retired (replaced by a new one) and can no longer be changed.", Fixer.SELF),
    "realname.same_id_number": ErrorSpec(
        400, "新身份证号与原记录相同;只有身份证号有误时才需要更换。",
        "The new ID number is the same as the old one; replace a record only when its ID number is wrong.",
        Fixer.SELF),
    "realname.file_missing": ErrorSpec(400, "请选择要导入的文件。", "Choose a file to import.", Fixer.SELF),
    "realname.duplicate_in_file": ErrorSpec(
        400, "与第 {first_row} 行的身份证号相同,本行未导入。",
        "Same ID number as row {first_row}; this row was not imported.", Fixer.SELF),
    "realname.row_class_not_created": ErrorSpec(
        400,
        "已录入,但班级“{class_name}”尚未建立:该学生要等学校管理员在班级管理中新增该班级后才能认证。",
        "Added, but the class “{class_name}” does not exist yet: the student can verify once the school admin "
        "adds the class in class management.",
        Fixer.SCHOOL_ADMIN),
}

_REGISTRATION = {
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

ENTRIES = {**_REALNAME, **_REGISTRATION}
