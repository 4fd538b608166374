"""The usage statistics error catalogue (STAT-1, STAT-2): each refusal names its cause and who fixes it (HELP-1).
It joins the one catalogue at start (core.errors.register_catalogues); a code defined twice fails there."""

from renrentong.core.errors import ErrorSpec, Fixer

ENTRIES = {
    "stats.not_allowed": ErrorSpec(
        403, "只有学校管理员和区县、市、省级管理员可以查看使用统计；请切换到管理员身份。",
        "Only school admins and district, city and province admins see usage statistics; switch to an admin "
        "identity.", Fixer.SELF),
    "stats.not_found": ErrorSpec(
        404, "该地区、学校或班级不存在，或不在您的管理范围内。",
        "That region, school or class does not exist or is outside what you manage.", Fixer.SELF),
    "stats.role_unknown": ErrorSpec(
        400, "角色只能是全部、学生、家长或教师。", "The role is all, student, parent or teacher.", Fixer.SELF),
    "stats.days_out_of_range": ErrorSpec(
        400, "统计天数须在 1 到 366 之间。", "The number of days is between 1 and 366.", Fixer.SELF),
}
