"""Class-change requests (调班申请, issue 10): what refuses a student's request or a decision, and who
can fix it. The school admin decides; head teachers follow."""

from renrentong.core.errors import ErrorSpec, Fixer

ENTRIES = {
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
