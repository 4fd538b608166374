"""The home pages' error catalogue (Chinese, English, who can fix).

- home: the home pages of each identity and the region admin's figures per school (issue 12).
"""

from renrentong.core.errors import ErrorSpec, Fixer

ENTRIES = {
    "home.export_not_allowed": ErrorSpec(
        403,
        "只有区县、市、省级管理员可以导出所辖学校的账号统计。",
        "Only district, city and province admins may export the figures of the schools below them.",
        Fixer.DISTRICT_ADMIN,
    ),
}
