"""The notices error catalogue (MSG-1..MSG-3): each refusal names its cause and who fixes it (HELP-1)."""

from renrentong.core.errors import ErrorSpec, Fixer

ENTRIES = {
    "notices.not_allowed": ErrorSpec(
        403, "只有学校管理员、任课教师和教育局管理员可以发送通知。",
        "Only school admins, teachers and education bureau admins send notices.", Fixer.SCHOOL_ADMIN),
    "notices.class_not_taught": ErrorSpec(
        403, "您没有任教{classes}，不能向该班发送作业通知；如需调整任教，请联系学校管理员。",
        "You do not teach {classes}, so you cannot send it a homework notice; the school admin sets who "
        "teaches which class.", Fixer.SCHOOL_ADMIN),
    "notices.class_not_in_school": ErrorSpec(
        404, "所选班级不在本校。", "A chosen class is not in your school.", Fixer.SELF),
    "notices.school_not_below": ErrorSpec(
        404, "所选学校不在您管辖的地区内。", "A chosen school is not in your region.", Fixer.SELF),
    "notices.no_audience": ErrorSpec(
        400, "请至少选择一个班级（或学校）和一类接收人。",
        "Choose at least one class (or school) and one kind of reader.", Fixer.SELF),
    "notices.no_parent_accounts": ErrorSpec(
        400, "所选班级还没有家长账号，通知无法送达家长；请学校管理员导入家长手机号后再发送。",
        "No parent in the chosen classes has an account yet, so no parent would get it; the school admin "
        "imports the parents' phones first.", Fixer.SCHOOL_ADMIN),
    "notices.no_student_accounts": ErrorSpec(
        400, "所选班级还没有学生账号；请学校管理员导入学生名单后再发送。",
        "The chosen classes have no student accounts yet; the school admin imports the roster first.",
        Fixer.SCHOOL_ADMIN),
    "notices.no_teacher_accounts": ErrorSpec(
        400, "所选范围内还没有教师账号；请学校管理员导入教师并设置任教后再发送。",
        "There are no teacher accounts for that choice yet; the school admin imports teachers and sets "
        "their teaching first.", Fixer.SCHOOL_ADMIN),
    "notices.title_required": ErrorSpec(
        400, "请填写通知标题（不超过 60 个字）。", "Give the notice a title (up to 60 characters).", Fixer.SELF),
    "notices.body_too_long": ErrorSpec(
        400, "通知正文不能超过 5000 个字。", "The text of a notice is at most 5,000 characters.", Fixer.SELF),
    "notices.too_many_files": ErrorSpec(
        400, "每条通知最多 9 个图片或文件。", "A notice carries at most 9 images and files.", Fixer.SELF),
    "notices.file_not_yours": ErrorSpec(
        404, "附件不存在或已失效，请重新上传。", "An attachment is missing or expired; upload it again.", Fixer.SELF),
    "notices.send_at_past": ErrorSpec(
        400, "定时发送时间不能早于现在。", "A scheduled time cannot be in the past.", Fixer.SELF),
    "notices.urgent_not_allowed": ErrorSpec(
        403, "只有管理员可以发送紧急通知。", "Only admins send urgent notices.", Fixer.SCHOOL_ADMIN),
    "notices.not_found": ErrorSpec(
        404, "通知不存在或您无权查看。", "The notice does not exist or is not yours to see.", Fixer.SELF),
    "notices.recalled": ErrorSpec(
        409, "该通知已撤回。", "This notice was recalled.", Fixer.SELF),
    # inbox and receipts
    "inbox.not_reader": ErrorSpec(
        403, "只有学生、家长和教师有消息收件箱；请切换身份后再查看。",
        "Only students, parents and teachers have an inbox; switch identity to read it.", Fixer.SELF),
    "inbox.child_not_found": ErrorSpec(
        404, "该孩子不在您的孩子名单中。", "That child is not one of your children.", Fixer.SELF),
    "inbox.bad_cursor": ErrorSpec(
        400, "翻页参数无效，请从第一页重新打开。", "The page cursor is not valid; open the first page again.", Fixer.SELF),
    "inbox.no_receipt": ErrorSpec(
        400, "该通知不需要回执。", "This notice does not ask for a receipt.", Fixer.SELF),
    "receipts.not_found": ErrorSpec(
        404, "通知不存在或您无权查看其回执。", "The notice does not exist or its receipts are not yours to see.",
        Fixer.SELF),
    "receipts.class_not_found": ErrorSpec(
        404, "该班级不在此通知的接收范围内，或不是您可以查看的班级。",
        "That class was not addressed by this notice or is not yours to see.", Fixer.SELF),
    "receipts.not_allowed_to_remind": ErrorSpec(
        403, "只有通知的发送人和班主任可以提醒未读的人。",
        "Only the notice's sender and the class head teacher remind the unread.", Fixer.SELF),
    "receipts.remind_too_soon": ErrorSpec(
        429, "提醒过于频繁：两次提醒至少间隔一小时，请在{at}之后再试。",
        "Reminders are at least an hour apart; try again after {at}.", Fixer.SELF),
    "receipts.remind_too_many": ErrorSpec(
        429, "每条通知最多提醒 3 次，已达上限。", "A notice is reminded at most 3 times; that limit is reached.",
        Fixer.SELF),
    "receipts.nobody_unread": ErrorSpec(
        400, "所有人都已阅读，无需提醒。", "Everyone has read it; there is nobody to remind.", Fixer.SELF),
    "receipts.not_sent_yet": ErrorSpec(
        409, "通知还在发送中或已撤回，暂时不能提醒。", "The notice is still being sent or was recalled; it cannot be "
        "reminded now.", Fixer.SELF),
}

# sending
ENTRIES.update({
    "notices.correct_not_allowed": ErrorSpec(
        403, "只有发送人可以修改这条通知。", "Only the sender corrects this notice.", Fixer.SELF),
    "notices.grade_not_in_school": ErrorSpec(
        404, "所选年级不在本校。", "A chosen grade is not in your school.", Fixer.SELF),
    "notices.district_not_below": ErrorSpec(
        404, "所选区县不在您管辖的地区内。", "A chosen district is not in your region.", Fixer.SELF),
    "notices.grade_has_no_classes": ErrorSpec(
        400, "所选年级还没有班级；请学校管理员先在班级结构中建班。",
        "A chosen grade has no classes yet; the school admin creates them in the class structure first.",
        Fixer.SCHOOL_ADMIN),
    "notices.district_has_no_schools": ErrorSpec(
        400, "所选区县还没有学校。", "A chosen district has no schools yet.", Fixer.DISTRICT_ADMIN),
    "notices.send_at_too_far": ErrorSpec(
        400, "定时发送时间最多可设在 30 天之后。", "A notice can be scheduled at most 30 days ahead.", Fixer.SELF),
    "notices.role_not_allowed": ErrorSpec(
        403, "作业通知只发给班级的家长和学生；发给教师的通知请由学校管理员发送。",
        "A homework notice goes to the class's parents and students; the school admin sends notices to teachers.",
        Fixer.SCHOOL_ADMIN),
    "notices.nothing_to_correct": ErrorSpec(
        400, "请修改标题、正文或附件后再保存。", "Change the title, the text or the files before saving.", Fixer.SELF),
})
