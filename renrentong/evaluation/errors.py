"""The evaluation error catalogue (EVA-1..EVA-3): each refusal names its cause and who fixes it (HELP-1)."""

from renrentong.core.errors import ErrorSpec, Fixer

CITY_ADMIN = ("市级管理员", "the city admin")

ENTRIES = {
    "evaluation.record_not_found": ErrorSpec(
        404, "该材料不存在或您无权查看。", "That record does not exist or is not yours to see.", Fixer.SELF),
    "evaluation.not_for_you": ErrorSpec(
        403, "只有学生本人和已关联孩子的家长可以上传综合素质评价材料；请切换到学生或家长身份。",
        "Only students and the parents linked to them keep evaluation material; switch to that identity.",
        Fixer.SELF),
    "evaluation.choose_child": ErrorSpec(
        400, "您关联了多个孩子：请先选择为哪个孩子记录。",
        "You are linked to several children: choose which child the record is for.", Fixer.SELF),
    "evaluation.not_enrolled": ErrorSpec(
        409, "该学生目前不在任何班级就读，不能上传材料；请联系学校管理员分班。",
        "The student is not in a class at the moment, so no material can be filed; the school admin puts "
        "students in classes.", Fixer.SCHOOL_ADMIN),
    "evaluation.text_required": ErrorSpec(
        400, "请填写记录内容（不超过 2000 字）。", "Write the record (at most 2,000 characters).", Fixer.SELF),
    "evaluation.title_too_long": ErrorSpec(
        400, "标题不能超过 60 个字。", "A title is at most 60 characters.", Fixer.SELF),
    "evaluation.kind_unknown": ErrorSpec(
        400, "请选择记录类型（成长记录、自传、作品、荣誉等）。",
        "Choose the kind of record (growth record, autobiography, works, honours ...).", Fixer.SELF),
    "evaluation.date_in_future": ErrorSpec(
        400, "记录日期不能晚于今天。", "The record's date cannot be later than today.", Fixer.SELF),
    "evaluation.too_many_files": ErrorSpec(
        400, "每条记录最多 {limit} 个附件。", "A record carries at most {limit} files.", Fixer.SELF),
    "evaluation.file_not_yours": ErrorSpec(
        404, "附件不存在或已失效，请重新上传。", "A file is missing or expired; upload it again.", Fixer.SELF),
    "evaluation.not_editable": ErrorSpec(
        409, "该材料已上报（{state}），不能修改或删除；待审核的材料可先撤销上报再修改。",
        "The record was submitted ({state}) and cannot be changed or deleted; withdraw a waiting record "
        "first, then change it.", Fixer.SELF),
    "evaluation.no_catalogue": ErrorSpec(
        409, "{year} 学年的评价项目尚未设置，暂不能分类；请联系市级管理员。",
        "The evaluation items of the {year} school year are not set yet, so records cannot be classified; "
        "ask the city admin.", CITY_ADMIN),
    "evaluation.no_city": ErrorSpec(
        409, "学校所在地区没有市级评价目录；请联系平台技术支持。",
        "The school's region has no city evaluation catalogue; ask platform support.", Fixer.SUPPORT),
    "evaluation.item_unknown": ErrorSpec(
        404, "没有找到该评价项目，请从列表中选择。", "That evaluation item does not exist; choose one from the list.",
        Fixer.SELF),
    "evaluation.item_not_uploaded": ErrorSpec(
        400, "“{item}”由市教育局或学校导入，不能用上传的材料分类；请选择 16 项上传项目之一。",
        "“{item}” is imported by the city bureau or the school; classify uploaded material under one of the "
        "16 uploaded items.", Fixer.SELF),
    "evaluation.item_retired": ErrorSpec(
        400, "“{item}”已停用，不能再用于分类；请选择其他项目。",
        "“{item}” is retired and takes no new material; choose another item.", Fixer.SELF),
    "evaluation.nothing_chosen": ErrorSpec(
        400, "请选择要上报的材料。", "Choose the records to submit.", Fixer.SELF),
    "evaluation.unclassified": ErrorSpec(
        400, "有材料未进行分类：{records}。请为每条材料选择一个评价项目后再上报。",
        "Some records are not classified: {records}. Choose an evaluation item for each one, then submit.",
        Fixer.SELF),
    "evaluation.not_draft": ErrorSpec(
        409, "这些材料已经上报过：{records}。", "These records were submitted already: {records}.", Fixer.SELF),
    "evaluation.city_window_unset": ErrorSpec(
        403, "上报通道未开放：市级管理员尚未设置 {year} 学年的上报时间。",
        "Submission is closed: the city admin has not set the {year} school year's submission dates yet.",
        CITY_ADMIN),
    "evaluation.city_window_closed": ErrorSpec(
        403, "上报通道未开放：市级管理员设置的上报时间为 {opens} 至 {closes}。",
        "Submission is closed: the city admin set the submission dates from {opens} to {closes}.", CITY_ADMIN),
    "evaluation.school_window_unset": ErrorSpec(
        403, "上报通道未开放：学校管理员尚未设置 {year} 学年的上报时间。",
        "Submission is closed: the school admin has not set the {year} school year's submission dates yet.",
        Fixer.SCHOOL_ADMIN),
    "evaluation.school_window_closed": ErrorSpec(
        403, "上报通道未开放：学校管理员设置的上报时间为 {opens} 至 {closes}。",
        "Submission is closed: the school admin set the submission dates from {opens} to {closes}.",
        Fixer.SCHOOL_ADMIN),
    "evaluation.not_withdrawable": ErrorSpec(
        409, "该材料未上报，无需撤销。", "The record is not submitted; there is nothing to withdraw.", Fixer.SELF),
    "evaluation.approved_locked": ErrorSpec(
        409, "该材料已审核通过，需学校管理员重新开放后才能撤销上报。",
        "The record is approved; the school admin must reopen it before it can be withdrawn.",
        Fixer.SCHOOL_ADMIN),
    "evaluation.not_approved": ErrorSpec(
        409, "只有审核通过的材料需要重新开放。", "Only approved records need reopening.", Fixer.SELF),
    "evaluation.reopen_not_allowed": ErrorSpec(
        403, "只有本校的学校管理员可以重新开放已通过的材料。",
        "Only the school admin of the record's school reopens approved records.", Fixer.SCHOOL_ADMIN),
    "evaluation.changed_meanwhile": ErrorSpec(
        409, "该材料刚刚已被{who}处理（{state}），未作更改；请刷新后查看。",
        "{who} has just acted on this record ({state}); nothing was changed. Refresh to see it.", Fixer.SELF),
    "evaluation.review_not_allowed": ErrorSpec(
        403, "只有本校的学校管理员和学校指定的审核人可以审核材料。",
        "Only the school admin of the record's school and the reviewers the school appoints review it.",
        Fixer.SCHOOL_ADMIN),
    "evaluation.reason_required": ErrorSpec(
        400, "不通过时请填写原因（不超过 200 字），学生和家长会看到它。",
        "Give the reason (at most 200 characters) when a record does not pass; the student and parents see it.",
        Fixer.SELF),
    "evaluation.not_city_admin": ErrorSpec(
        403, "只有市级管理员可以编辑评价项目。", "Only the city admin edits the evaluation items.", CITY_ADMIN),
    "evaluation.label_invalid": ErrorSpec(
        400, "请填写名称（不超过 32 个字）。", "Write a name (at most 32 characters).", Fixer.SELF),
    "evaluation.code_invalid": ErrorSpec(
        400, "代码只能由小写字母、数字和下划线组成，以字母开头，不超过 32 个字符。",
        "A code is lower-case letters, digits and underscores, starts with a letter, at most 32 characters.",
        Fixer.SELF),
    "evaluation.code_exists": ErrorSpec(
        409, "该学年已有代码为 {taken} 的项目或维度。", "The school year already has a dimension or item coded {taken}.",
        Fixer.SELF),
    "evaluation.dimension_unknown": ErrorSpec(
        404, "没有找到该评价维度。", "That evaluation dimension does not exist.", Fixer.SELF),
    "evaluation.window_not_yours": ErrorSpec(
        403, "只有市级管理员（全市）和学校管理员（本校）可以设置上报时间。",
        "Only the city admin (for the city) and the school admin (for the school) set submission dates.",
        Fixer.SELF),
    "evaluation.window_dates": ErrorSpec(
        400, "结束日期不能早于开始日期。", "The closing date cannot be earlier than the opening date.", Fixer.SELF),
    # Peer evaluation (学生互评, EVA-5) ------------------------------------------------------------------------
    "evaluation.peer_students_only": ErrorSpec(
        403, "学生互评由学生本人在学生身份下进行；请切换到学生身份。",
        "Peer evaluation is done by students themselves: switch to your student identity.", Fixer.SELF),
    "evaluation.peer_grade_nine_only": ErrorSpec(
        403, "学生互评只面向初中毕业年级（九年级）的学生；如果您的班级有误，请联系学校管理员。",
        "Peer evaluation is only for students in the graduating grade 9 of a junior secondary school; if your "
        "class is wrong, ask the school admin.", Fixer.SCHOOL_ADMIN),
    "evaluation.peer_city_off": ErrorSpec(
        403, "学生互评未开放：市级互评开关未开启，由市级管理员开启。",
        "Peer evaluation is closed: the city's switch is off; the city admin turns it on.", CITY_ADMIN),
    "evaluation.peer_school_off": ErrorSpec(
        403, "学生互评未开放：本校互评开关未开启，由学校管理员开启。",
        "Peer evaluation is closed: the school's switch is off; the school admin turns it on.", Fixer.SCHOOL_ADMIN),
    "evaluation.peer_no_criteria": ErrorSpec(
        409, "{year} 学年的互评项目尚未设置；请联系市级管理员。",
        "The peer evaluation criteria of the {year} school year are not set yet; ask the city admin.", CITY_ADMIN),
    "evaluation.peer_not_classmate": ErrorSpec(
        404, "没有找到这位同学：只能评价本班的同学。", "No such classmate: you rate only the classmates of your own class.",
        Fixer.SELF),
    "evaluation.peer_not_yourself": ErrorSpec(
        400, "不能评价自己，请选择一位同学。", "You cannot rate yourself; choose a classmate.", Fixer.SELF),
    "evaluation.peer_already_rated": ErrorSpec(
        409, "您已经评价过这位同学，每位同学只能评价一次，提交后不能修改。",
        "You have rated this classmate already: each classmate is rated once, and a rating cannot be changed.",
        Fixer.SELF),
    "evaluation.peer_grades_incomplete": ErrorSpec(
        400, "请为每个互评项目选择一个等级（A、B、C、D）后再提交。",
        "Choose a grade (A, B, C or D) for every criterion, then submit.", Fixer.SELF),
    "evaluation.peer_criterion_unknown": ErrorSpec(
        400, "没有找到该互评项目，请刷新后重新评价。", "That criterion does not exist; refresh and rate again.",
        Fixer.SELF),
    "evaluation.peer_criteria_not_yours": ErrorSpec(
        403, "只有市级管理员可以设置学生互评的评价项目。", "Only the city admin sets the criteria of peer evaluation.",
        CITY_ADMIN),
    "evaluation.peer_criteria_count": ErrorSpec(
        400, "互评项目须有 1 到 {limit} 项。", "Peer evaluation needs 1 to {limit} criteria.", Fixer.SELF),
    "evaluation.peer_criterion_label": ErrorSpec(
        400, "第 {n} 项的名称须为 1 到 32 个字。", "The name of criterion {n} must be 1 to 32 characters.", Fixer.SELF),
    "evaluation.peer_criterion_hint": ErrorSpec(
        400, "第 {n} 项的说明不能超过 100 个字。", "The hint of criterion {n} is at most 100 characters.", Fixer.SELF),
    "evaluation.peer_criterion_duplicate": ErrorSpec(
        400, "互评项目“{label}”重复了，请删去一项。", "The criterion \"{label}\" is there twice; remove one.", Fixer.SELF),
    "evaluation.peer_criteria_in_use": ErrorSpec(
        409, "{year} 学年已有学生开始互评，评价项目不能再修改（否则已评的等级会对应到别的项目）；可在下一学年调整。",
        "Students have started rating in the {year} school year, so its criteria can no longer change (the grades "
        "given would then stand for other criteria); change them for the next school year.", Fixer.SELF),
    "evaluation.peer_switch_not_yours": ErrorSpec(
        403, "只有市级管理员（全市）和学校管理员（本校）可以开关学生互评。",
        "Only the city admin (for the city) and the school admin (for the school) turn peer evaluation on or off.",
        Fixer.SELF),
    "evaluation.peer_results_not_yours": ErrorSpec(
        403, "只有学校管理员可以查看本校的互评汇总。", "Only the school admin sees the school's peer evaluation summary.",
        Fixer.SCHOOL_ADMIN),
    # The archive (综合素质档案) and filing material (issue 14 items 8 and 9) -------------------------------
    "evaluation.archive_not_found": ErrorSpec(
        404, "没有找到该学生的综合素质档案，或您无权查看。",
        "That student's archive does not exist or is not yours to see.", Fixer.SELF),
    "evaluation.archive_not_allowed": ErrorSpec(
        403, "只有学校管理员可以导出本校学生的综合素质档案；学生和家长可在“综合素质档案”页面下载本人或孩子的档案。",
        "Only the school admin exports the school's archives; students and parents download their own on the "
        "archive page.", Fixer.SELF),
    "evaluation.archive_nobody": ErrorSpec(
        400, "所选范围内没有学生，未生成文件。", "Nobody is in what you chose, so no file was made.", Fixer.SELF),
    # Review (issue 14 item 4): reviewers, public display (公示) and objections.
    "evaluation.not_school_admin": ErrorSpec(
        403, "只有本校的学校管理员可以指定审核人、设置公示和处理异议。",
        "Only the school admin appoints reviewers, opens public displays and resolves objections.",
        Fixer.SCHOOL_ADMIN),
    "evaluation.reviewer_not_teacher": ErrorSpec(
        404, "只能指定本校的教师为审核人；请从本校教师中选择。",
        "Only a teacher of the school can be appointed reviewer; choose one from the school's teachers.",
        Fixer.SELF),
    "evaluation.remit_empty": ErrorSpec(
        400, "请选择审核范围：全校，或至少一个年级或班级。",
        "Choose what the reviewer reviews: the whole school, or at least one grade or class.", Fixer.SELF),
    "evaluation.remit_not_in_school": ErrorSpec(
        404, "所选年级或班级不属于本校。", "A chosen grade or class is not of this school.", Fixer.SELF),
    "evaluation.appointment_not_found": ErrorSpec(
        404, "该审核人任命不存在或已结束。", "That reviewer appointment does not exist or has ended.", Fixer.SELF),
    "evaluation.display_title": ErrorSpec(
        400, "请填写公示标题（不超过 60 个字）。", "Write the display's title (at most 60 characters).", Fixer.SELF),
    "evaluation.display_dates": ErrorSpec(
        400, "公示结束日期不能早于开始日期或今天，公示期最长 {days} 天。",
        "The display cannot end before it starts or before today, and lasts at most {days} days.", Fixer.SELF),
    "evaluation.display_nothing": ErrorSpec(
        409, "没有可以公示的已通过材料（身心健康类材料不公示）。",
        "There is no approved material to display (health material is never displayed).", Fixer.SELF),
    "evaluation.display_not_found": ErrorSpec(
        404, "该公示不存在或不在公示期内。", "That display does not exist or is not running.", Fixer.SELF),
    "evaluation.display_not_running": ErrorSpec(
        409, "公示期为 {starts} 至 {ends}，现在不能提出异议。",
        "The display runs from {starts} to {ends}; objections are taken only then.", Fixer.SCHOOL_ADMIN),
    "evaluation.objection_reason_required": ErrorSpec(
        400, "请填写异议的理由（不超过 200 字）。", "Give the reason for the objection (at most 200 characters).",
        Fixer.SELF),
    "evaluation.objection_note_required": ErrorSpec(
        400, "请填写处理意见（不超过 200 字）；维持异议时，学生和家长会看到它。",
        "Write a note (at most 200 characters); when the objection is upheld, the student and parents see it.",
        Fixer.SELF),
    "evaluation.objection_not_found": ErrorSpec(
        404, "该异议不存在或您无权查看。", "That objection does not exist or is not yours to see.", Fixer.SELF),
    "evaluation.objection_resolved": ErrorSpec(
        409, "该异议已被{who}处理（{state}），未作更改。",
        "{who} has already resolved this objection ({state}); nothing was changed.", Fixer.SELF),
}

# Progress (EVA-4, renrentong/evaluation/progress).
ENTRIES.update({
    "evaluation.progress_not_allowed": ErrorSpec(
        403, "只有区县、市级管理员、学校管理员和班主任可以查看上报进度；学生和家长在“成长”中查看自己的进度。",
        "Only region admins, school admins and class head teachers see the submission progress; students and "
        "parents see their own under the growth tab.", Fixer.SCHOOL_ADMIN),
    "evaluation.progress_not_found": ErrorSpec(
        404, "没有找到该学校、班级或学生，或您无权查看。", "That school, class or student does not exist or is not "
        "yours to see.", Fixer.SELF),
    "evaluation.remind_not_allowed": ErrorSpec(
        403, "只有学校管理员（全校）和班主任（本班）可以提醒学生上报。",
        "Only the school admin (any class of the school) and the class head teacher (their class) send reminders.",
        Fixer.SCHOOL_ADMIN),
    "evaluation.nobody_to_remind": ErrorSpec(
        409, "所选班级的学生都已上报过材料，无需提醒。",
        "Every student of the chosen classes has submitted something; there is nobody to remind.", Fixer.SELF),
    "evaluation.reminded_today": ErrorSpec(
        409, "今天已提醒过这些班级（{classes}，由{who}发送）；每个班级每天提醒一次即可，请明天再提醒。",
        "These classes were reminded today already ({classes}, by {who}); one reminder a class a day is plenty, "
        "so remind them again tomorrow.", Fixer.SELF),
})

# -- Academic scores (EVA-6, renrentong/evaluation/scores) ---------------------------------------------------
# A refused row names the student masked (NFR-1); who fixes it is whoever prepared the file, unless the
# row's student, item or record is someone else's to fix.
FILE_PREPARER = ("填写导入文件的管理员", "the admin who prepared the file")
STUDENTS_SCHOOL_ADMIN = ("该生所在学校的管理员", "the admin of the student's school")

ENTRIES.update({
    "evaluation.scores_not_allowed": ErrorSpec(
        403, "只有市级管理员（市局下发的项目）和学校管理员（本校项目）可以导入学业成绩。",
        "Only the city admin (the city's items) and school admins (their school's items) import academic scores.",
        Fixer.SCHOOL_ADMIN),
    "evaluation.score_import_not_found": ErrorSpec(
        404, "该成绩导入不存在或您无权查看。", "That score import does not exist or is not yours to see.", Fixer.SELF),
    "evaluation.scores_not_for_you": ErrorSpec(
        403, "只有学校管理员可以查看本校的学业成绩表；学生和家长在成长页面查看自己的成绩。",
        "Only school admins see the school's score table; students and parents see their own scores on their "
        "growth page.", Fixer.SCHOOL_ADMIN),
    "row.score_missing_name": ErrorSpec(400, "缺少姓名。", "The name is missing.", FILE_PREPARER),
    "row.score_no_key": ErrorSpec(
        400, "请填写学生的账号、全国学籍号或身份证号（至少一项），用于识别学生。",
        "Give the student's account, national student number or ID number (at least one) to identify them.",
        FILE_PREPARER),
    "row.score_id_number_as_number": ErrorSpec(
        400, "身份证号或学籍号在表格中被存成了数字，末几位已丢失。请把该列设为文本格式后重新填写。",
        "The ID or student number was stored as a number in the spreadsheet and lost its last digits; format "
        "the column as text and enter it again.", FILE_PREPARER),
    "row.score_invalid_id_number": ErrorSpec(
        400, "身份证号 {value} 无效（校验位或出生日期不对），请核对。",
        "ID number {value} is invalid (check digit or birth date); please check it.", FILE_PREPARER),
    "row.score_missing_item": ErrorSpec(
        400, "缺少项目：请填写导入项目的名称或代码。", "The item is missing: give the imported item's name or code.",
        FILE_PREPARER),
    "row.score_missing_score": ErrorSpec(400, "缺少成绩。", "The score is missing.", FILE_PREPARER),
    "row.score_not_a_number": ErrorSpec(
        400, "成绩“{value}”不是数字：请填写如 18 或 18.5 的分数。",
        "The score “{value}” is not a number: write a score such as 18 or 18.5.", FILE_PREPARER),
    "row.score_out_of_range": ErrorSpec(
        400, "成绩 {value} 超出“{item}”的分值范围 {lowest}～{highest}。",
        "The score {value} is outside the range of “{item}”, {lowest} to {highest}.", FILE_PREPARER),
    "row.score_too_precise": ErrorSpec(
        400, "成绩 {value}：“{item}”的成绩最多保留 {decimals} 位小数。",
        "The score {value}: scores of “{item}” have at most {decimals} decimal places.", FILE_PREPARER),
    "row.score_unknown_student": ErrorSpec(
        400, "没有找到学生 {student}：请核对账号、全国学籍号或身份证号。",
        "No student {student} was found: check the account, national student number or ID number.",
        FILE_PREPARER),
    "row.score_keys_differ": ErrorSpec(
        400, "这一行的账号、全国学籍号和身份证号分别属于不同的学生：请核对后再导入。",
        "The account, national student number and ID number of this row belong to different students: check "
        "them and import again.", FILE_PREPARER),
    "row.score_name_mismatch": ErrorSpec(
        400, "姓名与平台上的学生 {student} 不一致（平台上为 {recorded}）：请核对姓名和证件号；如平台上的姓名有误，"
        "请学校管理员更正。",
        "The name differs from the student {student} on record ({recorded}): check the name and the number; if "
        "the name on record is wrong, the school admin corrects it.", FILE_PREPARER),
    "row.score_not_enrolled": ErrorSpec(
        400, "学生 {student} 目前不在任何班级就读，不能导入成绩；请学校管理员先为其分班。",
        "The student {student} is in no class at the moment, so no score can be imported; the school admin puts "
        "them in a class first.", Fixer.SCHOOL_ADMIN),
    "row.score_other_school": ErrorSpec(
        400, "学生 {student} 不是本次导入范围内（本校或本市）的学生，未导入；该生的成绩由其所在学校或所在市导入。",
        "The student {student} is not a student of this import's school or city and was not imported; their "
        "own school or city imports their scores.", STUDENTS_SCHOOL_ADMIN),
    "row.score_unknown_item": ErrorSpec(
        400, "{year} 学年没有“{item}”这个项目：请填写导入项目的名称或代码（见模板说明）。",
        "The {year} school year has no item “{item}”: give an imported item's name or code (see the template's "
        "notes).", FILE_PREPARER),
    "row.score_item_uploaded": ErrorSpec(
        400, "“{item}”由学生和家长上传材料，不导入成绩。",
        "“{item}” takes material that students and parents upload, not imported scores.", FILE_PREPARER),
    "row.score_item_retired": ErrorSpec(
        400, "“{item}”已停用，不再导入成绩；如需导入，请市级管理员重新启用。",
        "“{item}” is retired and takes no new scores; the city admin can put it back in use.", CITY_ADMIN),
    "row.score_item_city_imports": ErrorSpec(
        400, "“{item}”由市教育局导入，学校不能导入。", "“{item}” is imported by the city bureau, not by schools.",
        CITY_ADMIN),
    "row.score_item_school_imports": ErrorSpec(
        400, "“{item}”由学校导入，市局不能导入。", "“{item}” is imported by each school, not by the city bureau.",
        Fixer.SCHOOL_ADMIN),
    "row.score_duplicate_in_file": ErrorSpec(
        400, "与第 {first_row} 行是同一名学生的同一项目，本行未导入。",
        "The same student and item as row {first_row}; this row was not imported.", FILE_PREPARER),
    "row.score_written_twice": ErrorSpec(
        400, "本次导入已在前面的行写入了该学生这一项目的成绩（用另一个证件号识别），本行未导入。",
        "An earlier row of this import already wrote this student's score for this item (found by another "
        "number); this row was not imported.", FILE_PREPARER),
})
