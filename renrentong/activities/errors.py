"""The activities error catalogue (ACT-1): each refusal names its cause and who fixes it (HELP-1). The
organiser (the school, or the district or city that published a social practice) is named in the message."""

from renrentong.core.errors import ErrorSpec, Fixer

ORGANISER = ("活动发布方", "the organiser")

ENTRIES = {
    "activities.not_found": ErrorSpec(
        404, "活动不存在或不在您的范围内。", "The activity does not exist or is outside what you may see.", Fixer.SELF),
    "activities.sign_up_not_found": ErrorSpec(
        404, "报名记录不存在或不在您的范围内。", "The sign-up does not exist or is outside what you may see.", Fixer.SELF),
    "activities.not_allowed": ErrorSpec(
        403, "只有学校管理员和区县、市管理员可以发布和管理活动；请切换到管理员身份。",
        "Only school admins and district or city admins publish and manage activities; switch to that identity.",
        Fixer.SELF),
    "activities.parents_sign_up": ErrorSpec(
        403, "活动由家长为孩子报名；请切换到家长身份。学生不能为自己或兄弟姐妹报名。",
        "Parents sign their children up for activities; switch to your parent identity. A student cannot sign "
        "up themselves or a brother or sister.", Fixer.SELF),
    "activities.not_your_child": ErrorSpec(
        404, "该学生不是您关联的孩子；请在“孩子”页面关联，或联系学校管理员。",
        "That student is not a child linked to your account; link them on the Children page or ask the school "
        "admin.", Fixer.SCHOOL_ADMIN),
    "activities.child_not_enrolled": ErrorSpec(
        400, "{child}目前没有在读班级，不能报名；请联系学校管理员。",
        "{child} is not in a class at the moment and cannot sign up; the school admin places students in classes.",
        Fixer.SCHOOL_ADMIN),
    "activities.not_in_audience": ErrorSpec(
        403, "{child}不在本活动的报名范围内：{why}。报名范围由{organiser}设置，如有疑问请联系{organiser}。",
        "{child} is not in this activity's audience: {why}. {organiser} sets who may sign up; ask them if this "
        "looks wrong.", ORGANISER),
    "activities.window_not_open": ErrorSpec(
        400, "报名尚未开始：报名时间为{opens}至{closes}，由{organiser}设置。",
        "Sign-up has not opened yet: it runs from {opens} to {closes}, as {organiser} set it.", ORGANISER),
    "activities.window_closed": ErrorSpec(
        400, "报名已截止：报名时间为{opens}至{closes}，由{organiser}设置。",
        "Sign-up has closed: it ran from {opens} to {closes}, as {organiser} set it.", ORGANISER),
    "activities.already_signed_up": ErrorSpec(
        400, "{child}已报名本活动（{state}）。", "{child} is already signed up for this activity ({state}).",
        Fixer.SELF),
    "activities.full": ErrorSpec(
        409, "名额已满，{child}已进入候补名单，排第 {position} 位；有人取消或未通过审核时，按顺序递补。",
        "The activity is full: {child} is on the waiting list as number {position}; when a place frees up, the "
        "first waiting child moves up.", ORGANISER),
    "activities.cancel_closed": ErrorSpec(
        400, "取消报名已截止（截止时间{deadline}，由{organiser}设置）；如确有需要，请联系{organiser}。",
        "Cancelling closed at {deadline}, as {organiser} set it; ask {organiser} if you really must.", ORGANISER),
    "activities.not_cancellable": ErrorSpec(
        400, "该报名已是“{state}”状态，不能取消。", "That sign-up is already “{state}” and cannot be cancelled.",
        Fixer.SELF),
    "activities.reason_required": ErrorSpec(
        400, "请填写不通过的原因，家长会看到它。", "Write why the sign-up is refused; the parents see it.", Fixer.SELF),
    "activities.not_pending": ErrorSpec(
        400, "该报名是“{state}”状态，不是待审核，不能审核通过。",
        "That sign-up is “{state}”, not waiting for approval, so it cannot be approved.", Fixer.SELF),
    "activities.not_refusable": ErrorSpec(
        400, "该报名是“{state}”状态，不能再设为不通过。", "That sign-up is “{state}” and cannot be refused.",
        Fixer.SELF),
    "activities.school_decides": ErrorSpec(
        403, "报名由孩子所在学校的管理员审核；社会实践活动由各学校审核本校学生的报名。",
        "The school admin of the child's school approves sign-ups; for social practice each school approves its "
        "own children.", Fixer.SCHOOL_ADMIN),
    "activities.not_organiser": ErrorSpec(
        403, "只有活动发布方（{organiser}）可以修改活动或确认出席。",
        "Only the organiser ({organiser}) edits the activity or confirms attendance.", ORGANISER),
    "activities.attendance_too_early": ErrorSpec(
        400, "活动开始后才能确认出席（活动时间{starts}）。",
        "Attendance is confirmed once the activity has started ({starts}).", Fixer.SELF),
    "activities.attendance_not_accepted": ErrorSpec(
        400, "只有报名成功的孩子可以确认出席。", "Only children whose sign-up was accepted have their attendance confirmed.",
        Fixer.SELF),
    "activities.title_required": ErrorSpec(
        400, "请填写活动名称和地点。", "Write the activity's title and place.", Fixer.SELF),
    "activities.ends_before_start": ErrorSpec(
        400, "活动结束时间须晚于开始时间。", "The activity must end after it starts.", Fixer.SELF),
    "activities.window_invalid": ErrorSpec(
        400, "报名截止时间须晚于报名开始时间，且不晚于活动开始时间。",
        "Sign-up must close after it opens, and no later than the activity starts.", Fixer.SELF),
    "activities.cancel_deadline_invalid": ErrorSpec(
        400, "取消截止时间不能晚于活动开始时间。", "The cancel deadline cannot be later than the activity's start.",
        Fixer.SELF),
    "activities.capacity_invalid": ErrorSpec(
        400, "名额须为 1 至 10000 之间的整数。", "The places must be a whole number from 1 to 10,000.", Fixer.SELF),
    "activities.capacity_below_taken": ErrorSpec(
        400, "名额不能少于已占用的名额（{taken}）；请先处理已有的报名。",
        "The places cannot be fewer than those already taken ({taken}); deal with those sign-ups first.", Fixer.SELF),
    "activities.audience_outside": ErrorSpec(
        400, "报名范围中有不在您管辖范围内的学校或班级。",
        "The audience names a school or class outside what you manage.", Fixer.SELF),
    # Filing attendance as evaluation material (issue 14 item 9) -------------------------------------------
    "activities.not_attended": ErrorSpec(
        409, "活动发布方（{organiser}）确认孩子出席后，才能把活动存为成长材料。",
        "An activity becomes evaluation material only after the organiser ({organiser}) confirmed the child came.",
        ORGANISER),
}
