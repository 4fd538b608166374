"""The schooladmin error catalogue: every refusal this app raises, in Chinese and English, with who can fix it.

It joins the one catalogue at start (core.errors.register_catalogues); a code defined twice fails there.

- users: School user management (ACC-5, ADM-1, ADM-3, ADM-4, ADM-7): why an action on a user is refused and
who can fix it. Wording follows the Jiangxi back office (002) for the recycle bin and class changes.
- teaching: Teaching (ADM-2): course arrangement, the teaching grid and teachers' own classes; who can fix each
refusal. The Jiangxi back office (002) has the school admin set 课程安排 before teachers choose.
- transfers: Transfers between schools (ADM-5): what refuses a request or an approval, and who can fix it.
Wording follows the seeds: Sichuan (003) for the two approvals, Jiangxi (002) for the admin role.
- class_changes: Class-change requests (调班申请, issue 10): what refuses a student's request or a decision, and who
can fix it. The school admin decides; head teachers follow.
"""

from renrentong.core.errors import ErrorSpec, Fixer

_USERS = {
    "users.search_by_post": ErrorSpec(
        400,
        "手机号和身份证号不能放在网址里查询(网址会记入服务器的访问日志)。请把查询条件放在请求体中:POST {path}。",
        "A phone or ID number is never searched for in a URL (URLs go into the server's access log). Send the "
        "search in the request body: POST {path}.",
        Fixer.SELF),
    "users.not_allowed": ErrorSpec(
        403,
        "只有学校管理员可以管理本校的学生、教师和家长。请切换到学校管理员身份,或联系学校管理员。",
        "Only a school admin manages the school's students, teachers and parents. Switch to your school admin "
        "identity, or ask the school admin.",
        Fixer.SCHOOL_ADMIN,
    ),
    "users.not_found": ErrorSpec(
        404,
        "没有找到该用户,或该用户不属于你管理的学校。",
        "No such user, or the user does not belong to a school you manage.",
        Fixer.SCHOOL_ADMIN,
    ),
    "users.invalid_kind": ErrorSpec(
        400,
        "用户类型“{kind}”无法识别,请选择学生、教师或家长。",
        "Unknown user kind “{kind}”: choose student, teacher or parent.",
        Fixer.SELF,
    ),
    "users.missing_name": ErrorSpec(400, "请填写姓名。", "Enter the name.", Fixer.SELF),
    "users.name_too_long": ErrorSpec(
        400, "姓名过长(最多 {limit} 个字)。", "The name is too long (at most {limit} characters).", Fixer.SELF
    ),
    "users.invalid_sex": ErrorSpec(400, "请选择性别(男或女)。", "Choose the sex (male or female).", Fixer.SELF),
    "users.name_id_swapped": ErrorSpec(
        400,
        "“姓名”一栏填的是身份证号,“身份证号”一栏填的不是身份证号:两栏可能填反了。请把姓名和身份证号分别填入对应的栏后"
        "重试。",
        "The name field holds an ID number and the ID number field does not: the two were probably swapped. Put the "
        "name and the ID number each in its own field and try again.",
        Fixer.SELF),
    "users.invalid_id_number": ErrorSpec(
        400,
        "身份证号“{value}”不正确:须为 18 位,最后一位校验码可为 X,出生日期须有效。请核对后重新填写。",
        "The ID number “{value}” is not valid: it must have 18 characters, a valid birth date and the right "
        "check digit (which may be X). Check it and type it again.",
        Fixer.SELF,
    ),
    "users.id_number_taken": ErrorSpec(
        409,
        "该身份证号已属于平台上的 {holder}({school})。同一人不能重复添加:在本校请直接编辑或恢复该用户;"
        "在其他学校的学生请通过转校申请转入。",
        "This ID number already belongs to {holder} ({school}) on the platform. A person is not added twice: "
        "at this school, edit or restore that user; a student of another school comes over by a transfer request.",
        Fixer.SCHOOL_ADMIN,
    ),
    "users.invalid_phone": ErrorSpec(
        400,
        "手机号“{value}”不正确,请填写 11 位大陆手机号。",
        "The phone number “{value}” is not valid: enter an 11-digit mainland mobile number.",
        Fixer.SELF,
    ),
    "users.phone_required": ErrorSpec(
        400,
        "请填写手机号:教师和家长用手机号登录。",
        "Enter the phone number: teachers and parents log in with it.",
        Fixer.SELF,
    ),
    "users.phone_taken": ErrorSpec(
        409,
        "手机号 {phone} 已绑定平台上的另一个账号({holder})。一个手机号只能属于一个账号:请本人先解绑,"
        "或联系学校管理员、平台技术支持核实。",
        "The phone {phone} is bound to another account on the platform ({holder}). A phone belongs to one "
        "account: its owner unbinds it first, or ask the school admin or platform support to check.",
        Fixer.SCHOOL_ADMIN,
    ),
    "users.phone_in_recycle_bin": ErrorSpec(
        409,
        "手机号 {phone} 属于本校回收站中的账号({holder})。无需重新添加:请在“用户管理 → 回收站”中恢复该账号"
        "({until} 前本校可以恢复),恢复后它的孩子、身份和密码都还在,再为其添加孩子或修改信息即可。",
        "The phone {phone} belongs to an account in this school's recycle bin ({holder}). Do not add it again: "
        "restore it under Users, Recycle bin (the school can until {until}); its children, identities and "
        "password come back with it, then add the child or edit it.",
        Fixer.SCHOOL_ADMIN,
    ),
    "users.phone_in_recycle_bin_expired": ErrorSpec(
        409,
        "手机号 {phone} 属于本校回收站中的账号({holder}),已超过 {days} 天的保留期,学校不能再恢复。"
        "请联系省级管理员恢复该账号。",
        "The phone {phone} belongs to an account in this school's recycle bin ({holder}) past its {days}-day "
        "retention period, so the school can no longer restore it. Ask the province admin to restore it.",
        Fixer.PROVINCE_ADMIN,
    ),
    "users.phone_is_student": ErrorSpec(
        409,
        "手机号 {phone} 是学生 {holder} 的登录手机号,不能作为家长或教师账号。请核对手机号。",
        "The phone {phone} is the login of the student {holder}; it cannot become a parent's or teacher's "
        "account. Check the number.",
        Fixer.SELF,
    ),
    "users.child_required": ErrorSpec(
        400,
        "添加家长时须选择本校的一名学生作为其孩子。",
        "A parent is added for a child: choose one of the school's students.",
        Fixer.SELF,
    ),
    "users.student_number_taken": ErrorSpec(
        409,
        "学籍号 {value} 已属于平台上的另一名学生,请核对。",
        "The student number {value} already belongs to another student on the platform; check it.",
        Fixer.SCHOOL_ADMIN,
    ),
    "users.wrong_state": ErrorSpec(
        409,
        "该用户当前状态为“{state}”,不能{action}。",
        "The user is “{state}” now and cannot be {action}.",
        Fixer.SELF,
    ),
    "users.left_not_for_parents": ErrorSpec(
        409,
        "家长账号没有离校状态:家长随孩子离校;如需停用请冻结或删除该家长账号。",
        "A parent account does not leave school: parents go with their children. Freeze or delete the parent "
        "account to stop it.",
        Fixer.SELF,
    ),
    "users.is_admin": ErrorSpec(
        403,
        "该账号是管理员(学校或区县以上),不能在用户管理中冻结、离校或删除。请先由区县管理员取消其管理员权限。",
        "This account is an admin (school or region); it cannot be frozen, marked as left or deleted here. "
        "The district admin removes the admin role first.",
        Fixer.DISTRICT_ADMIN,
    ),
    "users.elsewhere": ErrorSpec(
        403,
        "该账号在其他学校还有身份(如在其他学校任教、是其他学校学生的家长),本校不能单独冻结、离校或删除它。"
        "请联系区县管理员处理。",
        "This account also holds an identity at another school (a teacher there, or parent of a child there); "
        "this school alone cannot freeze, mark as left or delete it. Ask the district admin.",
        Fixer.DISTRICT_ADMIN,
    ),
    "users.cannot_change_self": ErrorSpec(
        403,
        "不能冻结、离校或删除自己的账号。",
        "You cannot freeze, mark as left or delete your own account.",
        Fixer.SELF,
    ),
    "users.retention_passed": ErrorSpec(
        403,
        "该用户已在回收站中超过 {days} 天的保留期,只有省级管理员可以恢复。请联系省级管理员。",
        "This user has been in the recycle bin longer than the {days}-day retention period: only the province "
        "admin can restore it now.",
        Fixer.PROVINCE_ADMIN,
    ),
    "users.restore_not_allowed": ErrorSpec(
        403,
        "只有该校的学校管理员(保留期内)或省级管理员可以恢复回收站中的用户。",
        "Only the school's admin (within the retention period) or the province admin restores users from the "
        "recycle bin.",
        Fixer.SCHOOL_ADMIN,
    ),
    "users.school_required": ErrorSpec(
        400,
        "请指定要查看的学校。",
        "Choose the school to look at.",
        Fixer.SELF,
    ),
    "users.not_a_student": ErrorSpec(
        400,
        "{name} 不是本校学生,不能调班或请出班级。",
        "{name} is not a student of this school; only students change or leave classes.",
        Fixer.SELF,
    ),
    "users.student_not_active": ErrorSpec(
        409,
        "学生 {name} 当前状态为“{state}”,不能调班。请先恢复或复学。",
        "The student {name} is “{state}” now and cannot change class. Restore or reinstate the student first.",
        Fixer.SCHOOL_ADMIN,
    ),
    "users.class_not_found": ErrorSpec(
        404,
        "没有找到该班级,或该班级不属于你管理的学校。如班级尚未建立,请学校管理员先在学校结构中添加。",
        "No such class, or it is not a class of your school. If the class does not exist yet, the school admin "
        "adds it to the school structure first.",
        Fixer.SCHOOL_ADMIN,
    ),
    "users.class_graduated": ErrorSpec(
        409,
        "{name} 已毕业,不能再调入学生。",
        "{name} has graduated; students cannot move into it.",
        Fixer.SELF,
    ),
    "users.already_in_class": ErrorSpec(
        409,
        "{name} 已在 {school_class},无需调班。",
        "{name} is already in {school_class}; no class change is needed.",
        Fixer.SELF,
    ),
    "users.not_in_class": ErrorSpec(
        409,
        "{name} 不在 {school_class},无法请出。",
        "{name} is not in {school_class}, so cannot be removed from it.",
        Fixer.SELF,
    ),
    "users.batch_refused": ErrorSpec(
        409,
        "所选的 {count} 行中有 {refused} 行不能{action}，整批都没有执行：{rows}。请取消勾选这些行，或先处理好再重试。",
        "{refused} of the {count} chosen rows cannot be {action}, so none was: {rows}. Untick these rows, or "
        "settle them first and try again.",
        Fixer.SCHOOL_ADMIN,
    ),
    "users.batch_empty": ErrorSpec(400, "请至少选择一名学生。", "Choose at least one student.", Fixer.SELF),
    "users.batch_too_large": ErrorSpec(
        400,
        "一次最多处理 {limit} 名学生,请分批操作。",
        "At most {limit} students at a time; split the change into batches.",
        Fixer.SELF,
    ),
    "users.remove_not_allowed": ErrorSpec(
        403,
        "只有该班的班主任或学校管理员可以将学生请出班级。",
        "Only the class head teacher or the school admin removes students from a class.",
        Fixer.CLASS_HEAD_TEACHER,
    ),
    "users.bulk_not_allowed": ErrorSpec(
        403,
        "班主任不能批量添加用户或批量调班,请联系学校管理员。",
        "Class head teachers cannot add users or change classes in bulk; ask the school admin.",
        Fixer.SCHOOL_ADMIN,
    ),
}

_TEACHING = {
    "teaching.not_allowed": ErrorSpec(
        403,
        "只有学校管理员可以安排课程和任课教师。教师可在“我的任教”中设置自己的班级和学科。",
        "Only the school admin arranges courses and teachers. A teacher sets their own classes and subjects "
        "under “My teaching”.",
        Fixer.SCHOOL_ADMIN,
    ),
    "teaching.teachers_only": ErrorSpec(
        403,
        "只有教师身份可以设置自己的任教班级和学科。请切换到教师身份。",
        "Only a teacher identity sets its own classes and subjects. Switch to your teacher identity.",
        Fixer.SELF,
    ),
    "teaching.invalid_subject": ErrorSpec(
        400,
        "学科名称“{subject}”无效:须为 1 到 {limit} 个字。",
        "The subject name “{subject}” is not valid: it must have 1 to {limit} characters.",
        Fixer.SELF,
    ),
    "teaching.subject_not_arranged": ErrorSpec(
        409,
        "{school_class}没有安排“{subject}”课程。请学校管理员先在“课程安排”中为该班添加这门学科。",
        "{school_class} has no “{subject}” course. The school admin adds the subject to the class under "
        "“Course arrangement” first.",
        Fixer.SCHOOL_ADMIN,
    ),
    "teaching.class_not_found": ErrorSpec(
        404,
        "没有找到该班级,或该班级不属于你的学校。",
        "No such class, or it is not a class of your school.",
        Fixer.SCHOOL_ADMIN,
    ),
    "teaching.teacher_not_found": ErrorSpec(
        404,
        "没有找到该教师,或该教师不在本校任教。教师须先由学校管理员添加或导入。",
        "No such teacher, or the teacher is not at this school. The school admin adds or imports teachers first.",
        Fixer.SCHOOL_ADMIN,
    ),
    "teaching.teacher_unavailable": ErrorSpec(
        409,
        "教师 {name} 当前状态为“{state}”,不能安排任课或担任班主任。",
        "The teacher {name} is “{state}” now and cannot be given classes or be a class head teacher.",
        Fixer.SCHOOL_ADMIN,
    ),
    "teaching.taken": ErrorSpec(
        409,
        "{school_class}的“{subject}”已由 {teacher} 任教。如需调整,请联系学校管理员在任课安排中修改。",
        "{teacher} already teaches “{subject}” in {school_class}. Ask the school admin to change the "
        "teaching grid.",
        Fixer.SCHOOL_ADMIN,
    ),
    "teaching.already_yours": ErrorSpec(
        409,
        "你已经在{school_class}任教“{subject}”。",
        "You already teach “{subject}” in {school_class}.",
        Fixer.SELF,
    ),
    "teaching.not_yours": ErrorSpec(
        404,
        "你没有在{school_class}任教“{subject}”。",
        "You do not teach “{subject}” in {school_class}.",
        Fixer.SELF,
    ),
    "teaching.too_many_cells": ErrorSpec(
        400,
        "一次最多保存 {limit} 个单元格,请按年级分批保存。",
        "At most {limit} cells at a time: save one grade at a time.",
        Fixer.SELF,
    ),
    # Teacher import rows (rosters/teachers.py): one teacher per class and subject unless the school's
    # policy allows co-teaching; the preview and the result name whose course a row takes over.
    "row.replaces_teacher": ErrorSpec(
        409,  # a row's note, never an HTTP answer: the row is applied
        "将替换原任课教师:{replaced}。一个班级的一门学科只有一位任课教师;如本校允许多位教师合教,请学校在设置中开启“合作教学”。",
        "Replaces the current teacher: {replaced}. A class's subject has one teacher; if the school has "
        "teachers share a subject, the school turns on co-teaching in its settings.",
        Fixer.SCHOOL_ADMIN,
    ),
    "row.course_twice_in_file": ErrorSpec(
        400,
        "{school_class}的“{subject}”已由第 {first_row} 行的教师任教;一门学科只有一位任课教师,请删去其中一行。",
        "{school_class}'s “{subject}” is already taught by the teacher of row {first_row}; a subject has one "
        "teacher, so remove one of the rows.",
        Fixer.SCHOOL_ADMIN,
    ),
}

_TRANSFERS = {
    "transfer.not_allowed": ErrorSpec(
        403,
        "只有学生和教师本人可以申请转校:请切换到学生或教师身份,在个人中心申请。家长不能代为申请。",
        "Only students and teachers start their own transfer: switch to your student or teacher identity and "
        "apply from your home page. Parents cannot apply for a child.",
        Fixer.SELF,
    ),
    "transfer.admin_must_resign": ErrorSpec(
        403,
        "你是{school}的学校管理员,需先请区县管理员取消你的学校管理员权限,然后才能申请转校。",
        "You are a school admin of {school}: ask the district admin to remove your school admin role first, "
        "then apply for the transfer.",
        Fixer.DISTRICT_ADMIN,
    ),
    "transfer.not_enrolled": ErrorSpec(
        400,
        "你目前没有在读的班级,无法申请转校。请联系原学校管理员核实你的学籍和班级。",
        "You are not enrolled in a class now, so you cannot apply for a transfer. Ask your school admin to "
        "check your enrollment and class.",
        Fixer.SCHOOL_ADMIN,
    ),
    "transfer.unknown_school": ErrorSpec(
        404,
        "没有找到该学校,或该学校尚未在平台登记(租户)。请核对学校名称;新学校需由所在区县管理员登记。",
        "No such school, or the school is not registered on the platform (not a tenant). Check the name; the "
        "district admin of a new school registers it.",
        Fixer.DISTRICT_ADMIN,
    ),
    "transfer.same_school": ErrorSpec(
        400,
        "你已经在{school},不需要转校。调班请联系学校管理员。",
        "You are already at {school}; no transfer is needed. Ask the school admin to change your class.",
        Fixer.SCHOOL_ADMIN,
    ),
    "transfer.already_pending": ErrorSpec(
        409,
        "你已有一个转往{school}的申请正在审核中。如需改为其他学校,请先撤回该申请。",
        "You already have a transfer to {school} waiting for approval. Withdraw it first to apply to another "
        "school.",
        Fixer.SELF,
    ),
    "transfer.unknown_class": ErrorSpec(
        400,
        "所选班级不属于{school},或不是在读班级(毕业班、教学班不能转入)。请选择该校的行政班。",
        "The class chosen is not a current administrative class of {school} (graduated and teaching classes "
        "take no transfers). Choose one of its administrative classes.",
        Fixer.SCHOOL_ADMIN,
    ),
    "transfer.class_required": ErrorSpec(
        400,
        "转入学生前请选择转入的班级。",
        "Choose the class the student joins before approving the transfer.",
        Fixer.SCHOOL_ADMIN,
    ),
    "transfer.approve_not_allowed": ErrorSpec(
        403,
        "转校申请由转出学校和转入学校的学校管理员审核。请联系相关学校的管理员。",
        "Transfers are approved by the school admins of the old and the new school. Ask the admin of the "
        "school concerned.",
        Fixer.SCHOOL_ADMIN,
    ),
    "transfer.not_pending": ErrorSpec(
        409,
        "该转校申请已{state},不能再审核或撤回。",
        "This transfer request is already {state} and cannot be approved or withdrawn now.",
        Fixer.SELF,
    ),
    "transfer.not_yours": ErrorSpec(
        403,
        "只有申请人本人可以撤回转校申请;学校可以在审核时拒绝。",
        "Only the person who applied can withdraw a transfer request; a school can refuse it instead.",
        Fixer.SELF,
    ),
    "transfer.stale": ErrorSpec(
        409,
        "该申请提出后,{name}已不在{school}就读,无法按原申请转校。请拒绝该申请,由本人重新申请。",
        "Since the request was made, {name} has left {school}, so the transfer cannot go ahead as asked. Refuse "
        "it; the person can apply again.",
        Fixer.SCHOOL_ADMIN,
    ),
    "transfer.reason_required": ErrorSpec(
        400,
        "拒绝转校申请时请填写原因(最多 200 字),申请人会在个人主页看到。",
        "Give a reason (at most 200 characters) when refusing a transfer; the person sees it on their home page.",
        Fixer.SELF,
    ),
}

_CLASS_CHANGES = {
    "class_change.students_only": ErrorSpec(
        403,
        "只有学生本人可以申请调班:请切换到学生身份,在首页申请。家长和教师请联系学校管理员。",
        "Only the student asks for a class change: switch to your student identity and ask from your home "
        "page. Parents and teachers ask the school admin.",
        Fixer.SELF,
    ),
    "class_change.not_in_a_class": ErrorSpec(
        409,
        "你目前不在本校的任何班级,无法申请调班。请联系学校管理员为你安排班级。",
        "You are in no class of your school now, so you cannot ask for a class change. Ask the school admin "
        "to place you in a class.",
        Fixer.SCHOOL_ADMIN,
    ),
    "class_change.account_not_active": ErrorSpec(
        409,
        "你的账号当前状态为“{state}”,不能申请调班。请联系学校管理员。",
        "Your account is “{state}” now and cannot ask for a class change. Ask the school admin.",
        Fixer.SCHOOL_ADMIN,
    ),
    "class_change.class_not_found": ErrorSpec(
        404,
        "没有找到该班级,或它不是你所在学校的班级。请从列表中选择班级。",
        "No such class at your school. Choose a class from the list.",
        Fixer.SELF,
    ),
    "class_change.same_class": ErrorSpec(
        409,
        "你已经在{school_class}了,请选择另一个班级。",
        "You are in {school_class} already: choose another class.",
        Fixer.SELF,
    ),
    "class_change.other_grade": ErrorSpec(
        409,
        "{school_class}不是你所在年级的班级(你在{current})。调班只能在本年级内申请;跨年级请联系学校管理员。",
        "{school_class} is not a class of your grade (you are in {current}). A class change is asked within "
        "the grade; for another grade ask the school admin.",
        Fixer.SCHOOL_ADMIN,
    ),
    "class_change.already_pending": ErrorSpec(
        409,
        "你已有一个等待学校审核的调班申请。请等待审核结果,或先撤回该申请再重新申请。",
        "You have a class-change request waiting for the school. Wait for the decision, or withdraw it and "
        "ask again.",
        Fixer.SELF,
    ),
    "class_change.reason_too_long": ErrorSpec(
        400,
        "申请理由最多 {limit} 个字。",
        "The reason has at most {limit} characters.",
        Fixer.SELF,
    ),
    "class_change.not_allowed": ErrorSpec(
        403,
        "只有学校管理员和班主任可以查看调班申请。",
        "Only the school admin and head teachers see class-change requests.",
        Fixer.SCHOOL_ADMIN,
    ),
    "class_change.decide_not_allowed": ErrorSpec(
        403,
        "调班申请由学校管理员审核;班主任可以查看,但不能批准或拒绝。",
        "The school admin decides class-change requests; head teachers can follow them but not approve or "
        "refuse them.",
        Fixer.SCHOOL_ADMIN,
    ),
    "class_change.closed": ErrorSpec(
        409,
        "该调班申请已经是“{state}”状态,不能再更改。",
        "The class-change request is “{state}” already and cannot change any more.",
        Fixer.SELF,
    ),
    "class_change.note_required": ErrorSpec(
        400,
        "拒绝调班申请时请填写理由(1 到 {limit} 个字),学生会看到它。",
        "Give the reason for refusing (1 to {limit} characters); the student sees it.",
        Fixer.SELF,
    ),
}

ENTRIES = {**_USERS, **_TEACHING, **_TRANSFERS, **_CLASS_CHANGES}
