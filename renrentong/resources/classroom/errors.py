"""The smart classroom's refusals (RES-1, RES-3): each names its cause and who fixes it (HELP-1)."""

from renrentong.core.errors import ErrorSpec, Fixer

ENTRIES = {
    "classroom.not_found": ErrorSpec(
        404, "该资源不存在、已被下架或不在您的范围内。",
        "That resource does not exist, was taken down, or is outside what you may see.", Fixer.SELF),
    "classroom.recommendation_not_found": ErrorSpec(
        404, "该推荐课程不存在或不在您的范围内。",
        "That recommended course does not exist or is outside what you may see.", Fixer.SELF),
    "classroom.switch_to_child": ErrorSpec(
        403, "智慧学堂需使用孩子的学生身份进入：请在“切换身份”中切换到孩子的学生账号（学校生成的八位或九位账号）。",
        "The smart classroom is opened as the student: switch to your child's student identity (the 8 or 9 digit "
        "account the school made) under Switch identity.", Fixer.SELF),
    "classroom.students_and_teachers": ErrorSpec(
        403, "智慧学堂供学生和教师使用；管理员请在后台“学习资源”中管理资源和推荐课程。",
        "The smart classroom is for students and teachers; admins manage resources and recommended courses "
        "under Learning resources in the console.", Fixer.SELF),
    "classroom.none_for_grade": ErrorSpec(
        404, "目前一、二年级不要求布置作业，所以暂时没有为{grade}设置学习资源。",
        "Grades 1 and 2 are not given homework, so no learning resources are set for {grade} for now.",
        Fixer.SELF),
    "classroom.not_enrolled": ErrorSpec(
        400, "您目前没有在读班级，智慧学堂无法确定您的年级；请联系学校管理员。",
        "You are not in a class at the moment, so the smart classroom cannot tell your grade; the school admin "
        "places students in classes.", Fixer.SCHOOL_ADMIN),
    "classroom.not_keeper": ErrorSpec(
        403, "只有教师和管理员可以上传和管理学习资源；请切换到教师身份。",
        "Only teachers and admins upload and manage learning resources; switch to your teacher identity.",
        Fixer.SELF),
    "classroom.not_owner": ErrorSpec(
        403, "只能修改或删除自己上传的资源；该资源由{owner}上传。",
        "You can edit or delete only resources you uploaded; this one is {owner}'s.", Fixer.SELF),
    "classroom.not_takedown": ErrorSpec(
        403, "只有资源所在学校的管理员可以下架共享到学校或区县的资源。",
        "Only the school admin of the resource's school takes down a resource shared with the school or "
        "district.", Fixer.SCHOOL_ADMIN),
    "classroom.already_down": ErrorSpec(
        409, "该资源已于{when}下架。", "That resource was taken down at {when}.", Fixer.SELF),
    "classroom.reason_required": ErrorSpec(
        400, "下架资源须填写原因，上传者会看到。", "Give a reason for taking the resource down; its owner sees it.",
        Fixer.SELF),
    "classroom.title_required": ErrorSpec(
        400, "请填写资源标题（最多100字）。", "Give the resource a title (at most 100 characters).", Fixer.SELF),
    "classroom.file_or_url": ErrorSpec(
        400, "请上传一个文件，或填写一个链接，二者选一。", "Upload one file or give one link, not both and not neither.",
        Fixer.SELF),
    "classroom.url_invalid": ErrorSpec(
        400, "链接须以 http:// 或 https:// 开头，且是完整的网址（最多500字符）。",
        "A link starts with http:// or https:// and is a whole web address (at most 500 characters).",
        Fixer.SELF),
    "classroom.link_needs_url": ErrorSpec(
        400, "视频链接和免费资源链接须填写网址，不能上传文件。",
        "A video link or a free resource link is a web address, not an uploaded file.", Fixer.SELF),
    "classroom.file_not_yours": ErrorSpec(
        400, "所选文件不存在或不是您上传的；请重新上传。",
        "The chosen file does not exist or was not uploaded by you; upload it again.", Fixer.SELF),
    "classroom.placement_invalid": ErrorSpec(
        400, "学段、年级、学期或学科不正确：{why}。", "The stage, grade, term or subject is not right: {why}.",
        Fixer.SELF),
    "classroom.chapter_not_found": ErrorSpec(
        404, "所选章节不存在，或不属于本区域的教材目录；教材目录由省、市管理员维护。",
        "That chapter does not exist or is not in your region's textbook catalogue, which the province or city "
        "admin keeps.", Fixer.PROVINCE_ADMIN),
    "classroom.chapter_mismatch": ErrorSpec(
        400, "所选章节属于{book}，与资源的学科、年级或学期不一致。",
        "That chapter belongs to {book}, which does not match the resource's subject, grade or term.",
        Fixer.SELF),
    "classroom.not_recommender": ErrorSpec(
        403, "只有学校管理员（为本校）和区县、市管理员（为本区域）可以设置推荐课程。",
        "Only school admins (for their school) and district or city admins (for their region) set recommended "
        "courses.", Fixer.SCHOOL_ADMIN),
    "classroom.recommend_private": ErrorSpec(
        400, "只能推荐共享给学生的资源：请先把该资源共享到本校或本区县。",
        "Only a resource shared with students can be recommended: share it with the school or district first.",
        Fixer.SELF),
    "classroom.already_recommended": ErrorSpec(
        409, "该资源已推荐给这一学段、学科和学期。",
        "That resource is already recommended for this stage, subject and term.", Fixer.SELF),
}
