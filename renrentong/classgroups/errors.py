"""The class group error catalogue (SPC-3): each refusal names its cause and who fixes it (HELP-1)."""

from renrentong.core.errors import ErrorSpec, Fixer

ENTRIES = {
    "classgroups.not_found": ErrorSpec(
        404, "班级群不存在或您不是该班级群的成员。",
        "The class group does not exist or you are not one of its members.", Fixer.SELF),
    "classgroups.removed": ErrorSpec(
        403, "您已被班主任请出该班级群；可通过班级编码再次申请加入，由班主任审核。",
        "The class head teacher took you out of this class group; ask to join again with the class code and "
        "the head teacher decides.", Fixer.CLASS_HEAD_TEACHER),
    "classgroups.code_unknown": ErrorSpec(
        404, "没有找到该班级编码，请向班主任核对。",
        "No class has that class code; check it with the class head teacher.", Fixer.CLASS_HEAD_TEACHER),
    "classgroups.link_expired": ErrorSpec(
        400, "邀请链接无效或已过期，请向班主任索取新的链接或班级编码。",
        "The invite link is invalid or has expired; ask the class head teacher for a new one or for the class code.",
        Fixer.CLASS_HEAD_TEACHER),
    "classgroups.not_guardian_of_class": ErrorSpec(
        403, "您的账号还没有关联在该班就读的孩子，不能加入班级群；请学校管理员为您关联孩子后再申请。",
        "Your account is not linked to a child in this class, so you cannot join its group; the school admin "
        "links parents to their children.", Fixer.SCHOOL_ADMIN),
    "classgroups.not_teaching_class": ErrorSpec(
        403, "您没有任教该班，不能加入班级群；请学校管理员设置任教后再申请。",
        "You do not teach this class, so you cannot join its group; the school admin sets who teaches which class.",
        Fixer.SCHOOL_ADMIN),
    "classgroups.not_enrolled": ErrorSpec(
        403, "您不在该班就读，不能加入班级群；如分班有误，请联系学校管理员。",
        "You are not in this class, so you cannot join its group; the school admin puts students in classes.",
        Fixer.SCHOOL_ADMIN),
    "classgroups.join_not_for_you": ErrorSpec(
        403, "只有该班的老师、学生和家长可以加入班级群；请切换到教师、学生或家长身份。",
        "Only the class's teachers, students and parents join its group; switch to that identity.", Fixer.SELF),
    "classgroups.not_head_teacher": ErrorSpec(
        403, "只有班主任可以管理班级群；班主任由学校管理员设置。",
        "Only the class head teacher manages the class group; the school admin sets the head teacher.",
        Fixer.SCHOOL_ADMIN),
    "classgroups.teachers_post": ErrorSpec(
        403, "只有老师可以在班级群发布消息。", "Only teachers post messages in the class group.", Fixer.SELF),
    "classgroups.parents_may_not_post": ErrorSpec(
        403, "本班设置为家长只能查看消息；如需调整，请联系班主任。",
        "In this class parents only read the messages; the class head teacher can change that.",
        Fixer.CLASS_HEAD_TEACHER),
    "classgroups.reply_needs_message": ErrorSpec(
        400, "请选择要回复的消息。", "Choose the message you reply to.", Fixer.SELF),
    "classgroups.private_to_teacher": ErrorSpec(
        400, "本班家长只能私信老师：请选择一位老师。",
        "In this class parents write to a teacher privately: choose a teacher.", Fixer.SELF),
    "classgroups.not_a_teacher_here": ErrorSpec(
        404, "所选老师不在该班级群。", "The chosen teacher is not in this class group.", Fixer.SELF),
    "classgroups.text_required": ErrorSpec(
        400, "请填写消息内容。", "Write the message.", Fixer.SELF),
    "classgroups.reply_too_long": ErrorSpec(
        400, "回复不能超过 1000 个字。", "A reply is at most 1,000 characters.", Fixer.SELF),
    "classgroups.request_not_found": ErrorSpec(
        404, "该入群申请不存在或已处理。", "That join request does not exist or was already decided.", Fixer.SELF),
    "classgroups.member_not_found": ErrorSpec(
        404, "该成员不在本班级群。", "That person is not a member of this class group.", Fixer.SELF),
    "classgroups.cannot_remove_self": ErrorSpec(
        400, "班主任不能把自己请出班级群。", "The class head teacher cannot take themselves out of the group.",
        Fixer.SELF),
    "classgroups.file_not_found": ErrorSpec(
        404, "文件不存在或您无权查看。", "The file does not exist or is not yours to see.", Fixer.SELF),
    "classgroups.file_required": ErrorSpec(
        400, "请选择要上传的文件。", "Choose a file to upload.", Fixer.SELF),
}
