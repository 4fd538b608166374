"""The online practice error catalogue (RES-2, RES-1 personalised learning): each refusal names its cause and
who fixes it (HELP-1). Gathered into resources' catalogue by resources/errors.py."""

from renrentong.core.errors import ErrorSpec, Fixer

QUESTION_OWNER = ("出题的学校或区域", "the school or region that keeps the question")

ENTRIES = {
    "practice.not_found": ErrorSpec(
        404, "该练习或题目不存在或不在您的范围内。", "That paper or question does not exist or is outside what you "
        "may see.", Fixer.SELF),
    "practice.attempt_not_found": ErrorSpec(
        404, "该作答记录不存在或不在您的范围内。", "That attempt does not exist or is outside what you may see.",
        Fixer.SELF),
    "practice.not_a_keeper": ErrorSpec(
        403, "题库由教师和区域管理员维护；请切换到教师或管理员身份。",
        "Teachers and region admins keep the question bank; switch to that identity.", Fixer.SELF),
    "practice.not_editable": ErrorSpec(
        403, "这道题由{owner}维护，您只能使用，不能修改；可以复制后修改。",
        "This question is kept by {owner}: you may use it but not change it; copy it to make your own.",
        QUESTION_OWNER),
    "practice.chapter_not_found": ErrorSpec(
        404, "所选章节不存在，或不属于您所在地区的教材目录。",
        "That chapter does not exist or is not in your region's textbook catalogue.", Fixer.SELF),
    "practice.stem_required": ErrorSpec(400, "请填写题干。", "Write the question's text.", Fixer.SELF),
    "practice.options_invalid": ErrorSpec(
        400, "选择题需要2到8个选项，每个选项不能为空。",
        "A choice question needs 2 to 8 options, none of them empty.", Fixer.SELF),
    "practice.key_invalid": ErrorSpec(
        400, "正确答案与题型不符：{why}。", "The right answer does not fit the kind of question: {why}.", Fixer.SELF),
    "practice.blanks_invalid": ErrorSpec(
        400, "填空题需要1到10个空，每个空至少一个可接受的答案（每个不超过200字）。",
        "A fill-in question needs 1 to 10 blanks, each with at least one accepted answer (200 characters at most).",
        Fixer.SELF),
    "practice.number_comma": ErrorSpec(
        400, "“{text}”中有逗号：小数请用小数点，例如3.14，不要写成3,14；也不要用逗号分隔千位。",
        "\"{text}\" has a comma: write decimals with a point, 3.14 not 3,14, and no thousands separators.",
        Fixer.SELF),
    "practice.number_invalid": ErrorSpec(
        400, "“{text}”不是一个数，请只填写数字、小数点和正负号，例如-2.5。",
        "\"{text}\" is not a number: use digits, a decimal point and a sign only, e.g. -2.5.", Fixer.SELF),
    "practice.tolerance_invalid": ErrorSpec(
        400, "允许误差必须是不小于0的数，例如0.01。", "The tolerance must be a number of at least 0, e.g. 0.01.",
        Fixer.SELF),
    "practice.points_invalid": ErrorSpec(
        400, "知识点最多10个，每个不超过64字。", "Give at most 10 knowledge points of at most 64 characters each.",
        Fixer.SELF),
    "practice.teachers_only": ErrorSpec(
        403, "练习卷由教师组卷和发布；请切换到教师身份。",
        "Teachers assemble and publish practice papers; switch to your teacher identity.", Fixer.SELF),
    "practice.paper_size": ErrorSpec(
        400, "练习卷需要1到{max}道题，且不能重复。", "A paper needs 1 to {max} questions, none twice.", Fixer.SELF),
    "practice.title_required": ErrorSpec(400, "请填写练习卷名称。", "Give the paper a title.", Fixer.SELF),
    "practice.question_unavailable": ErrorSpec(
        400, "第{n}道题不可用：它已停用，或不在您可用的题库中。",
        "Question {n} cannot be used: it was retired or is not in a bank you may use.", Fixer.SELF),
    "practice.paper_published": ErrorSpec(
        400, "练习卷已发布，题目不能再修改；请新建一份练习卷。",
        "The paper has been published, so its questions are fixed; make a new paper.", Fixer.SELF),
    "practice.class_not_taught": ErrorSpec(
        403, "您没有任教这个班级，不能向它发布练习；任课安排由学校管理员设置。",
        "You do not teach that class, so you cannot publish to it; the school admin sets who teaches which class.",
        Fixer.SCHOOL_ADMIN),
    "practice.students_only": ErrorSpec(
        403, "在线练习由学生本人作答；家长请切换到孩子的学生账号身份后进入。",
        "Students take practice themselves; a parent switches to the child's student identity to open it.",
        Fixer.SELF),
    "practice.already_submitted": ErrorSpec(
        400, "这次作答已经提交，不能再修改答案；可以重新练习一次。",
        "This attempt has been submitted and its answers cannot change; start another attempt.", Fixer.SELF),
    "practice.question_not_in_paper": ErrorSpec(
        404, "这道题不在本练习卷中。", "That question is not on this paper.", Fixer.SELF),
    "practice.answer_invalid": ErrorSpec(
        400, "答案与题型不符：{why}。", "The answer does not fit the question: {why}.", Fixer.SELF),
    "practice.too_many_attempts": ErrorSpec(
        400, "这份练习最多可作答{max}次，您已用完。", "This paper can be taken at most {max} times; you have used them.",
        Fixer.SELF),
    "practice.no_weak_points": ErrorSpec(
        400, "您还没有错题，先完成一份练习吧。", "You have no wrong answers yet: take a paper first.", Fixer.SELF),
    "practice.no_questions_for_points": ErrorSpec(
        400, "题库中暂时没有这些知识点的题目；请老师在题库中补充。",
        "The question bank has no questions on these knowledge points yet; your teacher can add some.",
        Fixer.CLASS_HEAD_TEACHER),
    "practice.results_not_allowed": ErrorSpec(
        403, "只有任教该班的教师和本校管理员可以查看班级练习结果。",
        "Only the class's teachers and the school admin see the class's practice results.", Fixer.SCHOOL_ADMIN),
}
