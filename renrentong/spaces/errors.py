"""The spaces error catalogue (SPC-1, SPC-2): each refusal names its cause and who fixes it (HELP-1)."""

from renrentong.core.errors import ErrorSpec, Fixer

ENTRIES = {
    "spaces.not_allowed": ErrorSpec(
        403, "只有学生、家长和教师可以发布日常记录。", "Only students, parents and teachers write posts.", Fixer.SELF),
    "spaces.text_required": ErrorSpec(
        400, "请填写内容（不超过 2000 个字）。", "Write something (up to 2,000 characters).", Fixer.SELF),
    "spaces.too_many_images": ErrorSpec(
        400, "每条记录最多 9 张图片。", "A post carries at most 9 images.", Fixer.SELF),
    "spaces.image_not_yours": ErrorSpec(
        404, "图片不存在或已失效，请重新上传。", "An image is missing or expired; upload it again.", Fixer.SELF),
    "spaces.not_an_image": ErrorSpec(
        400, "只能添加图片。", "Only images can be added to a post.", Fixer.SELF),
    "spaces.choose_class": ErrorSpec(
        400, "请选择发布到哪个班级。", "Choose the class to post to.", Fixer.SELF),
    "spaces.no_school": ErrorSpec(
        400, "您还没有所在的学校或班级，暂不能发布；请联系学校管理员。",
        "You are not in a school or class yet, so you cannot post; the school admin adds you.", Fixer.SCHOOL_ADMIN),
    "spaces.public_not_allowed": ErrorSpec(
        403, "未满 14 周岁的学生不能公开发布（本地区未开放）；可以选择本校、本班或仅自己可见。如需开放，请联系区县管理员。",
        "Students under 14 may not post publicly in this region; choose school, class or only me. The district "
        "admin decides whether to allow it.", Fixer.DISTRICT_ADMIN),
    "spaces.not_found": ErrorSpec(
        404, "该记录不存在或您无权查看。", "The post does not exist or is not yours to see.", Fixer.SELF),
    "spaces.not_author": ErrorSpec(
        403, "只能删除自己发布的记录。", "You can delete only your own posts.", Fixer.SELF),
    "spaces.not_moderator": ErrorSpec(
        403, "只有学校管理员（本校内容）和班主任（本班内容）可以移除或审核内容。",
        "Only the school admin (school content) and the class head teacher (class content) remove or review posts.",
        Fixer.SCHOOL_ADMIN),
    "spaces.reason_required": ErrorSpec(
        400, "请填写原因（不超过 200 个字）。", "Give a reason (up to 200 characters).", Fixer.SELF),
    "spaces.already_reported": ErrorSpec(
        409, "您已举报过这条记录，学校管理员会尽快处理。",
        "You already reported this post; the school admin will look at it.", Fixer.SCHOOL_ADMIN),
    "spaces.own_post": ErrorSpec(
        400, "不能举报自己的记录；可以直接删除。", "You cannot report your own post; delete it instead.", Fixer.SELF),
    "spaces.not_held": ErrorSpec(
        409, "这条记录不在待审核状态。", "This post is not waiting for review.", Fixer.SELF),
    "spaces.words_not_allowed": ErrorSpec(
        403, "只有区县和市级管理员可以维护敏感词表。", "Only district and city admins edit the word list.",
        Fixer.DISTRICT_ADMIN),
    "spaces.word_invalid": ErrorSpec(
        400, "请填写敏感词（1 至 50 个字）。", "Give a word or phrase (1 to 50 characters).", Fixer.SELF),
    "spaces.word_exists": ErrorSpec(
        409, "该词已在词表中。", "The word is already on the list.", Fixer.SELF),
    "spaces.not_space_manager": ErrorSpec(
        403, "只有班主任或班主任指定的班级管理员可以管理班级空间；学校空间由学校管理员管理。",
        "Only the head teacher or a class admin they appoint manages a class space; the school admin manages the "
        "school space.", Fixer.CLASS_HEAD_TEACHER),
    "spaces.not_head_teacher": ErrorSpec(
        403, "只有班主任可以指定班级管理员。", "Only the class head teacher appoints class admins.", Fixer.SCHOOL_ADMIN),
    "spaces.not_class_member": ErrorSpec(
        404, "该用户不是本班成员。", "That person is not a member of this class.", Fixer.SELF),
    "spaces.title_too_long": ErrorSpec(
        400, "标题不超过 40 个字，简介不超过 500 个字。", "A title is up to 40 characters, an introduction up to 500.",
        Fixer.SELF),
    "spaces.stats_not_allowed": ErrorSpec(
        403, "只有学校管理员和教育局管理员可以查看空间统计。", "Only school and region admins see space statistics.",
        Fixer.SCHOOL_ADMIN),
}
