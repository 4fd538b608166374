"""School user management (ACC-5, ADM-1, ADM-3, ADM-4, ADM-7): why an action on a user is refused and
who can fix it. Wording follows the Jiangxi back office (002) for the recycle bin and class changes."""

from renrentong.core.errors import ErrorSpec, Fixer

ENTRIES = {
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
