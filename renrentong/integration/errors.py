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
    "oneroster.package_unreadable": ErrorSpec(
        400,
        "无法读取这个 OneRoster 数据包：{problem}。请上传名单系统导出的 .zip 数据包。",
        "This OneRoster package cannot be read: {problem}. Upload the .zip package the roster system exported.",
        Fixer.SELF,
    ),
    "oneroster.package_invalid": ErrorSpec(
        400,
        "OneRoster 数据包的文件不符合标准，无法导入：{problem}。请名单系统的供应商修正导出后重新上传。",
        "The OneRoster package's files do not follow the standard and cannot be imported: {problem}. Ask the "
        "roster system's supplier to mend its export, then upload it again.",
        Fixer.SELF,
    ),
    "oneroster.confirm_removals": ErrorSpec(
        409,
        "这个数据包将移除 {removing} 人，占所涉学校现有人员 {held} 人的 {percent}%，超过 {limit}%。"
        "请核对无误后勾选“确认移除”再导入。",
        "This package removes {removing} people, {percent}% of the {held} its schools hold now, more than "
        "{limit}%. Check it, then confirm the removals and import again.",
        Fixer.SELF,
    ),
    "row.oneroster_problem": ErrorSpec(
        400, "数据包格式问题：{problem}。", "The package breaks the standard here: {problem}.", Fixer.SELF),
    "row.oneroster_outside_scope": ErrorSpec(
        400,
        "“{name}”不在你管理的范围内，不能由本次导入修改。请由其所属区域的管理员导入。",
        "“{name}” is outside what you administer; this import cannot change it. An admin of its region can.",
        Fixer.DISTRICT_ADMIN,
    ),
    "row.oneroster_type_differs": ErrorSpec(
        400,
        "“{name}”在平台上是另一种机构（代码相同，层级不同）。请核对数据包中的机构代码。",
        "“{name}” is another kind of organisation on the platform (same code, another level). Check the "
        "package's organisation codes.",
        Fixer.SELF,
    ),
    "row.oneroster_identifier_required": ErrorSpec(
        400,
        "机构“{name}”缺少代码（identifier，最多 {limit} 位），平台无法新建。请在名单系统中补上行政区划代码或学校代码。",
        "Organisation “{name}” has no code (identifier, at most {limit} characters), so the platform cannot "
        "create it. Add the division or school code in the roster system.",
        Fixer.SELF,
    ),
    "row.oneroster_parent_unknown": ErrorSpec(
        400,
        "机构“{name}”的上级机构不在数据包中，也不在平台上（或层级不对：学校的上级须为区县）。",
        "Organisation “{name}” has a parent that is neither in the package nor on the platform (or at the "
        "wrong level: a school's parent is a district).",
        Fixer.SELF,
    ),
    "row.oneroster_no_school": ErrorSpec(
        400,
        "找不到所属学校（{org}）：须为本次导入范围内的学校。",
        "No school found for it ({org}): it must be a school this import covers.",
        Fixer.SELF,
    ),
    "row.oneroster_class_code_taken": ErrorSpec(
        400,
        "班级编码 {code} 已被另一所学校的班级使用。",
        "Class code {code} belongs to a class of another school.",
        Fixer.SCHOOL_ADMIN,
    ),
    "row.oneroster_grade_not_supported": ErrorSpec(
        400,
        "年级“{grades}”不是一至十二年级（01-12），平台无法建班。",
        "Grade “{grades}” is not grades 1 to 12 (01-12); the platform cannot make the class.",
        Fixer.SELF,
    ),
    "row.oneroster_class_number_missing": ErrorSpec(
        400,
        "班级名称“{title}”中没有班号（如“三年级2班”中的 2）。",
        "Class title “{title}” holds no class number (the 2 of “三年级2班”).",
        Fixer.SELF,
    ),
    "row.oneroster_no_school_year": ErrorSpec(
        400,
        "班级“{title}”没有学年（termSourcedIds 须指向 schoolYear 类型的学年）。",
        "Class “{title}” has no school year (termSourcedIds must name a schoolYear session).",
        Fixer.SELF,
    ),
    "row.oneroster_name_missing": ErrorSpec(400, "缺少姓名。", "The name is missing.", Fixer.SELF),
    "row.oneroster_person_elsewhere": ErrorSpec(
        400,
        "{name} 的账号属于你管理范围以外的学校，本次导入不能修改。请由其所在学校的管理员办理转学或修改。",
        "{name}'s account belongs to a school outside what you administer; this import cannot change it. Their "
        "school's admin can (a transfer, or the change itself).",
        Fixer.SCHOOL_ADMIN,
    ),
    "row.oneroster_unknown_user": ErrorSpec(
        400, "所指的用户不在数据包中，也不在平台上。", "The user it names is neither in the package nor on the platform.",
        Fixer.SELF),
    "row.oneroster_unknown_class": ErrorSpec(
        400, "所指的班级不在数据包中，也不在平台上。", "The class it names is neither in the package nor on the platform.",
        Fixer.SELF),
    "row.oneroster_enrolled_elsewhere": ErrorSpec(
        400,
        "该学生目前在另一所学校就读，请先由那所学校的管理员办理转出。",
        "The student is enrolled at another school now; that school's admin must release them first.",
        Fixer.SCHOOL_ADMIN,
    ),
    "row.oneroster_head_teacher_taken": ErrorSpec(
        400,
        "该班已有另一位班主任。请先在平台上更换班主任，或在数据包中改为任课教师。",
        "The class has another head teacher. Change the head teacher on the platform first, or make this one a "
        "subject teacher in the package.",
        Fixer.SCHOOL_ADMIN,
    ),
    "row.oneroster_no_teacher_role": ErrorSpec(
        400,
        "该教师在这所学校没有教师角色（roles.csv 中缺少）。",
        "The teacher has no teacher role at this school (missing from roles.csv).",
        Fixer.SELF,
    ),
    # Notes on rows the import leaves alone (not refusals: nobody needs to fix them).
    "row.oneroster_not_kept": ErrorSpec(
        400, "平台不保存此类对象（{what}），已跳过。", "The platform keeps no such object ({what}); skipped.", Fixer.SELF),
    "row.oneroster_not_removed": ErrorSpec(
        400,
        "导入不会删除机构、学年、课程、班级或家长身份，已跳过；需要时请在平台上操作。",
        "An import never deletes organisations, school years, courses, classes or parent roles; skipped. Do it "
        "on the platform if it is needed.",
        Fixer.SELF,
    ),
    "row.oneroster_not_here": ErrorSpec(
        400, "要移除的对象不在平台上，无需操作。", "What it removes is not on the platform: nothing to do.", Fixer.SELF),
    "row.oneroster_above_scope": ErrorSpec(
        400, "上级机构，不由本次导入修改。", "A region above yours: this import leaves it as it is.", Fixer.SELF),
    "oneroster.not_allowed": ErrorSpec(
        403,
        "OneRoster 名单数据包只提供给区域管理员和学校管理员。需要数据包的应用请由省级或市级管理员登记。",
        "OneRoster roster packages are for region and school admins. An app that needs one is registered by a "
        "province or city admin.",
        Fixer.SCHOOL_ADMIN,
    ),
}
