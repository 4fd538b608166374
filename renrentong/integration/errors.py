"""The integration error catalogue (INT-1): registering apps that sign users in through the platform."""

from renrentong.core.errors import ErrorSpec, Fixer

ENTRIES = {
    "apps.not_allowed": ErrorSpec(
        403,
        "只有省级和市级管理员可以登记接入平台的应用。",
        "Only province and city admins may register apps that sign users in through the platform.",
        Fixer.PROVINCE_ADMIN,
    ),
    "apps.name_required": ErrorSpec(
        400,
        "请填写应用名称(最多 {limit} 个字)。",
        "Give the app a name (at most {limit} characters).",
        Fixer.SELF,
    ),
    "apps.redirect_uri_invalid": ErrorSpec(
        400,
        "回调地址“{uri}”无效:须为完整的 https 地址,不含 # 片段。应用的供应商可以提供正确的地址。",
        "The redirect URI “{uri}” is invalid: it must be a full https address without a # fragment. "
        "The app's supplier can give the right one.",
        Fixer.SELF,
    ),
    "apps.claims_unknown": ErrorSpec(
        400,
        "未知的信息项“{claim}”,可选:{allowed}。",
        "Unknown claim “{claim}”; allowed: {allowed}.",
        Fixer.SELF,
    ),
    "apps.school_outside_region": ErrorSpec(
        400,
        "学校 {school} 不在该应用所属的区域内。",
        "School {school} is not in the app's region.",
        Fixer.SELF,
    ),
    "oneroster.not_allowed": ErrorSpec(
        403,
        "OneRoster 名单数据包只提供给区域管理员和学校管理员。需要数据包的应用请由省级或市级管理员登记。",
        "OneRoster roster packages are for region and school admins. An app that needs one is registered by a "
        "province or city admin.",
        Fixer.SCHOOL_ADMIN,
    ),
}
