"""Lesson preparation's refusals (RES-4): each says its cause and who fixes it (HELP-1). Gathered into the
resources catalogue (resources/errors.py). Refused import rows are `row.<reason>` (the roster machinery's)."""

from renrentong.core.errors import ErrorSpec, Fixer

FILE_PREPARER = ("填写导入文件的管理员", "the admin who prepared the file")
CATALOGUE_ADMIN = ("省、市级教材目录管理员", "the province or city catalogue admin")

ENTRIES: dict[str, ErrorSpec] = {
    # The catalogue
    "resources.catalogue_not_allowed": ErrorSpec(
        403, "教材目录由省级或市级管理员维护。", "The textbook catalogue is kept by province and city admins.",
        CATALOGUE_ADMIN),
    "resources.textbook_not_yours": ErrorSpec(
        403, "这本教材由{region}维护，只能由该地区的管理员修改。",
        "This textbook is kept by {region}; only its admins change it.", CATALOGUE_ADMIN),
    "resources.textbook_exists": ErrorSpec(
        409, "本地区已有同学科、年级、册次、版本和出版社的教材。",
        "Your region already has a textbook of this subject, grade, volume, edition and publisher.", Fixer.SELF),
    "resources.textbook_field_missing": ErrorSpec(
        400, "请填写{field}。", "Fill in the {field}.", Fixer.SELF),
    "resources.chapter_not_found": ErrorSpec(
        404, "该章节不存在。", "That chapter does not exist.", Fixer.SELF),
    "resources.chapter_number_invalid": ErrorSpec(
        400, "章节编号须为用点分隔的数字，如 1 或 1.2。", "A chapter number is numbers separated by dots, like 1 or 1.2.",
        Fixer.SELF),
    "resources.chapter_number_taken": ErrorSpec(
        409, "这本教材已有编号为 {number} 的章节。", "This textbook already has a chapter numbered {number}.", Fixer.SELF),
    "resources.chapter_parent_missing": ErrorSpec(
        400, "请先添加上级章节 {parent}。", "Add the chapter {parent} above it first.", Fixer.SELF),
    "resources.chapter_has_lessons": ErrorSpec(
        409, "已有教师为该章节（或其下的小节）备课，不能删除；可以停用整本教材。",
        "Teachers have prepared lessons for this chapter (or a section under it), so it cannot be deleted; "
        "retire the textbook instead.", Fixer.SELF),
    "resources.textbook_retired_for_prep": ErrorSpec(
        409, "这本教材已停用，不能新备课。", "This textbook was retired; no new lessons are prepared on it.",
        CATALOGUE_ADMIN),
    "resources.catalogue_import_not_found": ErrorSpec(
        404, "该教材目录导入不存在。", "That catalogue import does not exist.", Fixer.SELF),
    # Preparing
    "resources.prep_teachers_only": ErrorSpec(
        403, "备课由教师进行，请切换到教师身份。", "Lessons are prepared by teachers; switch to your teacher identity.",
        Fixer.SELF),
    "resources.prep_not_teaching": ErrorSpec(
        403, "你没有任教这本教材的学科和年级。请学校管理员在任课安排中添加。",
        "You do not teach this textbook's subject and grade; the school admin adds it to your teaching.",
        Fixer.SCHOOL_ADMIN),
    "resources.prep_lesson_not_found": ErrorSpec(
        404, "该备课不存在。", "That prepared lesson does not exist.", Fixer.SELF),
    "resources.prep_empty": ErrorSpec(
        400, "请至少填写教学设计，或添加课件、习题，再标记为完成。",
        "Write the teaching design or add courseware or exercises before marking it done.", Fixer.SELF),
    "resources.prep_file_not_yours": ErrorSpec(
        400, "只能添加你自己上传的文件。", "Only files you uploaded yourself can be added.", Fixer.SELF),
    "resources.prep_text_too_long": ErrorSpec(
        400, "{field}最多 {limit} 字。", "The {field} holds at most {limit} characters.", Fixer.SELF),
    # Checking
    "resources.prep_not_checker": ErrorSpec(
        403, "只有学校管理员和备课检查员可以查看备课情况。",
        "Only the school admin and prep checkers see the school's lesson preparation.", Fixer.SCHOOL_ADMIN),
    "resources.prep_school_admins_only": ErrorSpec(
        403, "备课检查员由学校管理员设置。", "Prep checkers are named by the school admin.", Fixer.SCHOOL_ADMIN),
    "resources.prep_checker_not_teacher": ErrorSpec(
        404, "备课检查员须是本校教师。", "A prep checker must be a teacher of your school.", Fixer.SELF),
    "resources.prep_checker_not_found": ErrorSpec(
        404, "该备课检查员不存在。", "That prep checker does not exist.", Fixer.SELF),
    "resources.prep_teacher_not_found": ErrorSpec(
        404, "该教师不存在。", "That teacher does not exist.", Fixer.SELF),
    "resources.prep_comment_empty": ErrorSpec(
        400, "请填写评语（最多 500 字）。", "Write the comment (at most 500 characters).", Fixer.SELF),
    # Missing textbooks
    "resources.missing_photos_required": ErrorSpec(
        400, "请上传封面、版权页和目录的照片（每项至少一张）。",
        "Add photos of the cover, the copyright page and the contents (at least one each).", Fixer.SELF),
    "resources.missing_photo_not_image": ErrorSpec(
        400, "照片须为图片文件。", "The photos must be images.", Fixer.SELF),
    "resources.missing_report_not_found": ErrorSpec(
        404, "该教材反馈不存在。", "That textbook report does not exist.", Fixer.SELF),
    "resources.missing_report_decided": ErrorSpec(
        409, "该反馈已处理（{state}）。", "That report was already decided ({state}).", Fixer.SELF),
    "resources.missing_reason_required": ErrorSpec(
        400, "请填写不予添加的原因。", "Give the reason for declining.", Fixer.SELF),
    # Import rows
    "row.textbook_missing_field": ErrorSpec(400, "缺少{field}。", "The {field} is missing.", FILE_PREPARER),
    "row.textbook_bad_grade": ErrorSpec(
        400, "年级“{value}”无法识别，请填写 1 到 12 或“三年级”“七年级”。",
        "The grade '{value}' is not understood; write a number from 1 to 12.", FILE_PREPARER),
    "row.textbook_bad_volume": ErrorSpec(
        400, "册次“{value}”无法识别，请填写 上册、下册 或 全一册。",
        "The volume '{value}' is not understood; write first, second or whole.", FILE_PREPARER),
    "row.textbook_bad_number": ErrorSpec(
        400, "章节编号“{value}”须为用点分隔的数字，如 1 或 1.2。",
        "The chapter number '{value}' must be numbers separated by dots, like 1 or 1.2.", FILE_PREPARER),
    "row.textbook_parent_missing": ErrorSpec(
        400, "章节 {number} 的上级章节 {parent} 不在文件中，也不在目录里；请先加一行 {parent}。",
        "The chapter {number} needs its parent {parent}, which is neither in the file nor in the catalogue; "
        "add a row for {parent} first.", FILE_PREPARER),
    "row.textbook_title_differs": ErrorSpec(
        400, "目录中章节 {number} 的标题是“{recorded}”，与文件不同；请在教材目录页修改，或改正文件。",
        "The catalogue names chapter {number} '{recorded}', not as the file does; edit it on the catalogue "
        "page or correct the file.", FILE_PREPARER),
    "row.textbook_duplicate_in_file": ErrorSpec(
        400, "与第 {first_row} 行是同一教材的同一章节。", "The same chapter of the same textbook as row {first_row}.",
        FILE_PREPARER),
    "row.textbook_retired": ErrorSpec(
        400, "这本教材已停用；如需再用，请先在教材目录页恢复。",
        "This textbook was retired; restore it on the catalogue page first to add to it.", FILE_PREPARER),
}
