"""The orgs error catalogue: every refusal this app raises, in Chinese and English, with who can fix it.

It joins the one catalogue at start (core.errors.register_catalogues); a code defined twice fails there.

- structure: School structure, tenants and school admin roles (ORG-2, ORG-4..ORG-6, ADM-6): what refuses a change
and who can fix it. Wording follows the seeds: Zhejiang (004) for batch creation and naming, Jiangxi
(002) for the school system request ("需要联系区县管理员……申请修改学制") and the admin role.
"""

from renrentong.core.errors import ErrorSpec, Fixer

_BASE = {
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
}

_STRUCTURE = {
    # --- Structure (orgs/structure.py) ---
    "structure.not_allowed": ErrorSpec(
        403,
        "只有学校管理员和上级管理员可以修改学校的校区、学段、年级和班级。请联系学校管理员。",
        "Only the school admin and admins above the school may change its campuses, stages, grades and classes. "
        "Ask the school admin.",
        Fixer.SCHOOL_ADMIN,
    ),
    "structure.unknown_level": ErrorSpec(
        400,
        "学段只能是小学、初中或高中,不能是“{level}”。",
        "A stage is primary, junior or senior secondary, not “{level}”.",
        Fixer.SELF,
    ),
    "structure.level_not_registered": ErrorSpec(
        400,
        "{school}在平台登记的学段中没有{level}(当前学制:{system})。学校的学制和学段由区县管理员设置:学校管理员可在"
        "“学制与学段”中提交修改申请,由区县管理员审核。",
        "{school} is not registered with the {level} stage (school system: {system}). The district admin sets a "
        "school's system and stages: the school admin sends a change request from “School system and stages”, "
        "and the district admin approves it.",
        Fixer.DISTRICT_ADMIN,
    ),
    "structure.too_many_grades": ErrorSpec(
        400,
        "{stage}({system})只有 {years} 个年级,请只填写这 {years} 个年级的班级数。",
        "The {stage} stage ({system}) has {years} grades; give class counts for those {years} grades only.",
        Fixer.SELF,
    ),
    "structure.class_count": ErrorSpec(
        400,
        "每个年级一次最多创建 {limit} 个班级,班级数不能为负。",
        "At most {limit} classes per grade at a time, and no negative counts.",
        Fixer.SELF,
    ),
    "structure.class_range": ErrorSpec(
        400,
        "班号须在 1 到 {limit} 之间,且起始班号不大于截止班号。",
        "Class numbers run from 1 to {limit}, and the first may not be greater than the last.",
        Fixer.SELF,
    ),
    "structure.campus_name": ErrorSpec(
        400,
        "请填写校区名称(不超过 {limit} 个字)。",
        "Enter the campus name (at most {limit} characters).",
        Fixer.SELF,
    ),
    "structure.no_stage": ErrorSpec(
        400,
        "请至少选择一个学段(小学、初中或高中)。",
        "Choose at least one stage (primary, junior or senior secondary).",
        Fixer.SELF,
    ),
    "structure.campus_exists": ErrorSpec(
        409,
        "本校已有名为“{name}”的校区。请换一个名称,或在该校区中新增学段、年级和班级。",
        "The school already has a campus named “{name}”. Choose another name, or add stages, grades and classes "
        "to that campus.",
        Fixer.SELF,
    ),
    "structure.stage_exists": ErrorSpec(
        409,
        "{campus}已有{stage}学段。要增加年级或班级,请在该学段中新增年级,或在年级中新增班级。",
        "{campus} already has the {stage} stage. To add grades or classes, add a grade to that stage or classes "
        "to a grade.",
        Fixer.SELF,
    ),
    "structure.grade_outside_stage": ErrorSpec(
        400,
        "{stage}({system})的年级是 {first} 到 {last} 年级,没有 {grade} 年级。学制不正确时,请学校管理员向区县管理员申请修改学制。",
        "The {stage} stage ({system}) has grades {first} to {last}, not grade {grade}. If the school system is "
        "wrong, the school admin asks the district admin to change it.",
        Fixer.SELF,
    ),
    "structure.grade_exists": ErrorSpec(
        409,
        "{grade}已存在。要增加班级,请在该年级中新增班级。",
        "{grade} exists already. To add classes, add them to that grade.",
        Fixer.SELF,
    ),
    "structure.class_kind": ErrorSpec(
        400,
        "新增的班级只能是行政班或教学班;毕业班由升级毕业生成。",
        "New classes are administrative or teaching classes; graduated classes come from the yearly rollover.",
        Fixer.SELF,
    ),
    "structure.cohort_graduated": ErrorSpec(
        400,
        "{grade},不能再新增班级。",
        "{grade}: a graduated grade takes no new classes.",
        Fixer.SELF,
    ),
    "structure.grade_name": ErrorSpec(
        400,
        "年级名称不超过 {limit} 个字,且不能含有花括号。",
        "A grade name has at most {limit} characters and no curly braces.",
        Fixer.SELF,
    ),
    "structure.grade_name_twice": ErrorSpec(
        400,
        "同一学段中两个年级不能使用相同的名称。",
        "Two grades of one stage cannot have the same name.",
        Fixer.SELF,
    ),
    "structure.class_pattern": ErrorSpec(
        400,
        "班级命名格式须包含 {{n}}(班号),可包含 {{grade}}(年级名称),不超过 {limit} 个字,例如 {{grade}}({{n}})班。",
        "The class name pattern must contain {{n}} (the class number), may contain {{grade}} (the grade name), "
        "has at most {limit} characters, e.g. {{grade}} class {{n}}.",
        Fixer.SELF,
    ),
    "structure.class_has_students": ErrorSpec(
        409,
        "{name}还有 {count} 名在读学生,不能删除。请学校管理员先把这些学生调到其他班级(批量调班),再删除该班级。",
        "{name} still has {count} students and cannot be deleted. The school admin must first move them to other "
        "classes (batch class change), then delete the class.",
        Fixer.SCHOOL_ADMIN,
    ),
    "structure.class_has_history": ErrorSpec(
        409,
        "{name}保存着 {count} 名曾在该班学生的就读记录,不能删除(记录永不丢失)。该班已没有在读学生,可以保留不用。",
        "{name} holds the enrollment history of {count} former students and cannot be deleted (history is never "
        "lost). It has no current students; it can simply stay unused.",
        Fixer.SCHOOL_ADMIN,
    ),
    # --- Tenants and the school system (orgs/tenants.py) ---
    "tenant.not_allowed": ErrorSpec(
        403,
        "只有区县及以上管理员可以登记学校、设置学制和学段。学校管理员请在“学制与学段”中提交修改申请。",
        "Only district admins and admins above them register schools and set school systems and stages. A school "
        "admin sends a change request from “School system and stages”.",
        Fixer.DISTRICT_ADMIN,
    ),
    "tenant.no_level": ErrorSpec(
        400,
        "请至少选择一个学段(小学、初中或高中)。",
        "Choose at least one stage (primary, junior or senior secondary).",
        Fixer.SELF,
    ),
    "tenant.unknown_system": ErrorSpec(
        400,
        "学制只能是六三制(6-3)或五四制(5-4),不能是“{system}”。",
        "The school system is 6-3 or 5-4, not “{system}”.",
        Fixer.SELF,
    ),
    "tenant.not_a_district": ErrorSpec(
        400,
        "学校须登记在区县下,“{region}”不是区县。请选择学校所在的区县。",
        "Schools are registered under a district; “{region}” is not one. Choose the school's district.",
        Fixer.SELF,
    ),
    "tenant.name": ErrorSpec(
        400,
        "请填写学校全称(不超过 {limit} 个字)。",
        "Enter the school's full name (at most {limit} characters).",
        Fixer.SELF,
    ),
    "tenant.code": ErrorSpec(
        400,
        "学校代码须为 4 到 16 位字母或数字(如学校标识码)。",
        "The school code is 4 to 16 letters or digits (such as the national school identifier).",
        Fixer.SELF,
    ),
    "tenant.code_taken": ErrorSpec(
        409,
        "学校代码 {school_code} 已被{district}的{school}使用。请核对代码;同一所学校不需要重复登记。",
        "School code {school_code} is already used by {school} in {district}. Check the code; a school is registered "
        "only once.",
        Fixer.SELF,
    ),
    "tenant.name_taken": ErrorSpec(
        409,
        "{district}已登记名为“{name}”的学校。同一所学校不需要重复登记;如是另一所学校,请用全称区分。",
        "{district} already has a school named “{name}”. A school is registered only once; if this is another "
        "school, use its full name.",
        Fixer.SELF,
    ),
    "tenant.school_year": ErrorSpec(
        400,
        "学年须在 2000 到 2100 之间(填写学年开始的年份)。",
        "The school year must be between 2000 and 2100 (the year it starts).",
        Fixer.SELF,
    ),
    "tenant.system_strands_grades": ErrorSpec(
        409,
        "按新的学制和学段,这些仍有班级的年级将不存在:{grades}。请学校管理员先把学生调出并删除这些班级,或待其毕业后再修改学制。",
        "Under the new system and stages these grades, which still have classes, would not exist: {grades}. The "
        "school admin must first move their students out and delete the classes, or the change waits until they "
        "have graduated.",
        Fixer.SCHOOL_ADMIN,
    ),
    "tenant.set_directly": ErrorSpec(
        400,
        "区县及以上管理员可以直接在学校维护中修改学制和学段,无需提交申请。",
        "District admins and admins above them change the school system and stages directly from the school's "
        "page; no request is needed.",
        Fixer.SELF,
    ),
    "tenant.request_not_allowed": ErrorSpec(
        403,
        "只有学校管理员可以为本校提交学制修改申请,由区县管理员审核。",
        "Only a school admin sends a school system change request for the school; the district admin decides.",
        Fixer.SCHOOL_ADMIN,
    ),
    "tenant.system_unchanged": ErrorSpec(
        400,
        "申请的学制和学段与当前相同,无需修改。",
        "The system and stages requested are the current ones; nothing to change.",
        Fixer.SELF,
    ),
    "tenant.request_pending": ErrorSpec(
        409,
        "本校已有一个学制修改申请正在等待区县管理员审核。如需改为其他内容,请先撤回该申请。",
        "The school already has a school system change request waiting for the district admin. Withdraw it first "
        "to ask for something else.",
        Fixer.DISTRICT_ADMIN,
    ),
    "tenant.request_closed": ErrorSpec(
        409,
        "该申请已{state},不能再审核或撤回。",
        "This request is already {state} and cannot be decided or withdrawn now.",
        Fixer.SELF,
    ),
    "tenant.refusal_needs_reason": ErrorSpec(
        400,
        "拒绝申请时请填写原因,申请人会看到它。",
        "Give a reason when refusing a request; the applicant sees it.",
        Fixer.SELF,
    ),
    "tenant.not_your_request": ErrorSpec(
        403,
        "只有提交申请的人可以撤回申请;区县管理员可以拒绝它。",
        "Only the person who sent a request can withdraw it; the district admin can refuse it instead.",
        Fixer.SELF,
    ),
    # --- School admin roles (accounts/admin_roles/) ---
    "admin_roles.not_allowed": ErrorSpec(
        403,
        "学校管理员由区县或市级管理员设置和取消。教师可以在首页申请成为学校管理员。",
        "School admins are appointed and removed by the district or city admin. A teacher can apply from their "
        "home page.",
        Fixer.DISTRICT_ADMIN,
    ),
    "admin_roles.not_a_teacher": ErrorSpec(
        400,
        "该账号不是{school}的教师,不能设为该校学校管理员。请先由学校导入或审核该教师。",
        "This account is not a teacher of {school} and cannot become its school admin. The school must import or "
        "approve the teacher first.",
        Fixer.SCHOOL_ADMIN,
    ),
    "admin_roles.already_admin": ErrorSpec(
        409,
        "该账号已经是{school}的学校管理员,可在右上角“切换身份”中选择学校管理员身份。",
        "This account is already a school admin of {school}; choose the school admin identity in the switcher "
        "at the top right.",
        Fixer.SELF,
    ),
    "admin_roles.apply_as_teacher": ErrorSpec(
        403,
        "只有教师可以申请成为学校管理员:请在右上角切换到教师身份,再在首页申请。",
        "Only teachers apply to be school admin: switch to your teacher identity at the top right and apply from "
        "your home page.",
        Fixer.SELF,
    ),
    "admin_roles.application_pending": ErrorSpec(
        409,
        "你申请成为{school}学校管理员的申请正在等待区县或市级管理员审核,无需重复申请。",
        "Your application to be school admin of {school} is waiting for the district or city admin; there is no "
        "need to apply again.",
        Fixer.DISTRICT_ADMIN,
    ),
    "admin_roles.application_closed": ErrorSpec(
        409,
        "该申请已{state},不能再审核或撤回。",
        "This application is already {state} and cannot be decided or withdrawn now.",
        Fixer.SELF,
    ),
    "admin_roles.refusal_needs_reason": ErrorSpec(
        400,
        "拒绝申请时请填写原因,申请人会在首页看到它。",
        "Give a reason when refusing an application; the applicant sees it on their home page.",
        Fixer.SELF,
    ),
    "admin_roles.not_your_application": ErrorSpec(
        403,
        "只有申请人本人可以撤回申请。",
        "Only the applicant can withdraw an application.",
        Fixer.SELF,
    ),
}

# The FAQ and the support contacts (HELP-2).
_HELP = {
    "help.not_allowed": ErrorSpec(
        403,
        "只有区域（省、市、区县）管理员可以编辑常见问题和客服联系方式。学校需要补充的问题请告诉区县管理员。",
        "Only region (province, city, district) admins edit the FAQ and the support contacts. A school tells its "
        "district admin what to add.",
        Fixer.DISTRICT_ADMIN,
    ),
    "help.entry_blank": ErrorSpec(
        400,
        "请填写问题和回答。",
        "Fill in the question and the answer.",
        Fixer.SELF,
    ),
    "help.entry_too_long": ErrorSpec(
        400,
        "内容太长：分类最多 {category} 字，问题最多 {question} 字，回答最多 {answer} 字。",
        "Too long: a category holds at most {category} characters, a question {question}, an answer {answer}.",
        Fixer.SELF,
    ),
    "help.contact_too_long": ErrorSpec(
        400,
        "联系方式最多 {limit} 字，例如“0731-88881234（工作日 8:30-17:00）”。",
        "A contact holds at most {limit} characters, e.g. “0731-88881234 (weekdays 8:30-17:00)”.",
        Fixer.SELF,
    ),
}

ENTRIES = {**_BASE, **_STRUCTURE, **_HELP}
