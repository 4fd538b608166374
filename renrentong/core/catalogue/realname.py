"""Errors of real-name verification and the real-name registry (RN-1..RN-4, HELP-1; seed 003 "实名认证",
"教师用户认证为家长" and "管理员管理问题")."""

from renrentong.core.errors import ErrorSpec, Fixer

ENTRIES = {
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
