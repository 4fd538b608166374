"""Transfers between schools (ADM-5): what refuses a request or an approval, and who can fix it.
Wording follows the seeds: Sichuan (003) for the two approvals, Jiangxi (002) for the admin role."""

from renrentong.core.errors import ErrorSpec, Fixer

ENTRIES = {
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
