"""The rollover error catalogue: every refusal this app raises, in Chinese and English, with who can fix it.

It joins the one catalogue at start (core.errors.register_catalogues); a code defined twice fails there.

- rollover: Errors of the yearly rollover (ORG-7; seed 004: 班级毕业、升级操作时段 每年7月1日至3月31日).
"""

from renrentong.core.errors import ErrorSpec, Fixer

_ROLLOVER = {
    "rollover.not_allowed": ErrorSpec(
        403,
        "只有学校管理员和区县(市、省)管理员可以进行升级与毕业。",
        "Only school admins and district (city, province) admins may run the rollover.",
        Fixer.SCHOOL_ADMIN),
    "rollover.outside_window": ErrorSpec(
        409,
        "现在不在班级毕业、升级的操作时段内(每年 {start} 至 {end})。时段外由平台在设定日期自动执行;"
        "如需调整时段,请联系区县管理员。",
        "The rollover can be run or undone by hand only from {start} to {end} each year; outside that window "
        "the platform runs it by itself on the set date. To change the window, ask the district admin.",
        Fixer.DISTRICT_ADMIN),
    "rollover.school_behind": ErrorSpec(
        409,
        "{school}的当前学年是 {year} 学年,落后一年以上,不能自动升级。请联系区县管理员核对学校的学年。",
        "{school} is in the {year} school year, more than a year behind: it cannot be rolled over by itself. Ask "
        "the district admin to check the school's school year.",
        Fixer.DISTRICT_ADMIN),
    "rollover.wrong_state": ErrorSpec(
        409,
        "这次升级已是“{state}”状态,不能再撤销。",
        "This rollover is already “{state}”: it cannot be undone.",
        Fixer.SELF),
    "rollover.not_latest": ErrorSpec(
        409,
        "{school}在这次升级之后又升级过,只能撤销最近的一次。",
        "{school} has been rolled over again since: only its latest rollover can be undone.",
        Fixer.SELF),
}

ENTRIES = {**_ROLLOVER}
