"""Field errors of API requests in users' words (HELP-1; issue 10 item 9).

Ninja (pydantic) reports a bad request as a list of errors like ("body", "body", "relation"),
"literal_error", "Input should be 'father', ...": English, and naming the schema field. Here each
becomes one catalogue message per field, in the request's language, naming the field as users know
it (FIELD_NAMES, Chinese and English), or by its title when no word is known yet.
"""

from __future__ import annotations

from renrentong.core.errors import UserFacingError, in_language
from renrentong.core.text import parse_number

# Schema field and parameter names -> (Chinese, English) as the pages and help pages name them.
FIELD_NAMES: dict[str, tuple[str, str]] = {
    "identifier": ("账号", "account"),
    "password": ("密码", "password"),
    "current_password": ("当前密码", "current password"),
    "new_password": ("新密码", "new password"),
    "repeat_password": ("确认新密码", "repeated new password"),
    "code": ("验证码", "code"),
    "totp_code": ("动态验证码", "authenticator code"),
    "token": ("验证凭证", "verification token"),
    "challenge": ("登录验证凭证", "login challenge"),
    "method": ("验证方式", "verification method"),
    "phone": ("手机号", "phone"),
    "destination": ("接收验证码的手机号或邮箱", "phone or email for the code"),
    "target": ("手机号或邮箱", "phone or email"),
    "name": ("姓名", "name"),
    "person_name": ("姓名", "name"),
    "sex": ("性别", "sex"),
    "id_number": ("身份证号", "ID number"),
    "national_student_number": ("全国学籍号", "national student number"),
    "local_student_number": ("校内学号", "school student number"),
    "relation": ("与学生关系", "relation to the student"),
    "account_id": ("账号", "account"),
    "account_ids": ("账号", "accounts"),
    "account_number": ("账号", "account number"),
    "child_account_id": ("孩子的账号", "child's account"),
    "person_id": ("人员", "person"),
    "person_ids": ("人员", "people"),
    "guardian_id": ("家长", "parent"),
    "teacher_id": ("教师", "teacher"),
    "head_teacher_id": ("班主任", "class head teacher"),
    "identity_id": ("身份", "identity"),
    "school_id": ("学校", "school"),
    "school_ids": ("学校", "schools"),
    "from_school_id": ("转出学校", "school left"),
    "to_school_id": ("转入学校", "new school"),
    "region_id": ("区域", "region"),
    "region_ids": ("区域", "regions"),
    "district_id": ("区县", "district"),
    "parent_id": ("上级区域", "parent region"),
    "campus_id": ("校区", "campus"),
    "stage_id": ("学段", "stage"),
    "stage_ids": ("学段", "stages"),
    "cohort_id": ("年级", "grade"),
    "cohort_ids": ("年级", "grades"),
    "class_id": ("班级", "class"),
    "class_ids": ("班级", "classes"),
    "to_class_id": ("转入班级", "new class"),
    "entry_id": ("实名登记", "registry entry"),
    "job_id": ("导入任务", "import job"),
    "run_id": ("升级任务", "promotion run"),
    "request_id": ("申请", "request"),
    "application_id": ("申请", "application"),
    "change_id": ("变更", "change"),
    "binding_id": ("绑定", "binding"),
    "comparison_id": ("比对", "comparison"),
    "subject": ("学科", "subject"),
    "subjects": ("学科", "subjects"),
    "level": ("学段", "stage"),
    "levels": ("学段", "stages"),
    "system": ("学制", "school system"),
    "grade": ("年级", "grade"),
    "number": ("班号", "class number"),
    "class_name": ("班级名称", "class name"),
    "enrollment_year": ("入学年份", "enrollment year"),
    "graduation_year": ("毕业年份", "graduation year"),
    "school_year": ("学年", "school year"),
    "from_year": ("起始学年", "first school year"),
    "to_year": ("结束学年", "last school year"),
    "kind": ("类型", "kind"),
    "role": ("身份类型", "role"),
    "mode": ("方式", "mode"),
    "status": ("状态", "status"),
    "state": ("状态", "state"),
    "outcome": ("结果", "outcome"),
    "reason": ("原因", "reason"),
    "note": ("备注", "note"),
    "decision": ("处理意见", "decision"),
    "decision_note": ("处理说明", "decision note"),
    "approve": ("是否同意", "approval"),
    "q": ("搜索内容", "search text"),
    "page": ("页码", "page"),
    "page_size": ("每页条数", "page size"),
    "limit": ("条数", "number of items"),
    "date_from": ("开始日期", "from date"),
    "date_to": ("结束日期", "to date"),
    "retired": ("是否已停用", "retired"),
    "create_missing_classes": ("自动创建缺少的班级", "create missing classes"),
    "file": ("文件", "file"),
    "upload_key": ("上传标识", "upload key"),
    "purpose": ("用途", "purpose"),
    "school_default_password": ("学校默认密码", "school default password"),
    "password_rule": ("密码规则", "password rule"),
    "student_initial_rule": ("学生初始密码规则", "student initial password rule"),
    "parent_initial_rule": ("家长初始密码规则", "parent initial password rule"),
    "teacher_initial_rule": ("教师初始密码规则", "teacher initial password rule"),
    "initial_password_days": ("初始密码有效天数", "initial password validity (days)"),
    "sms_province": ("短信省份", "SMS province"),
    "sms_code_minutes": ("验证码有效分钟数", "code validity (minutes)"),
    "sms_resend_seconds": ("重新获取间隔秒数", "resend wait (seconds)"),
    "sms_daily_per_target": ("每个号码每日验证码上限", "daily codes per number"),
    "sms_daily_per_account": ("每个账号每日验证码上限", "daily codes per account"),
    "sms_daily_per_source": ("每个网络每日验证码上限", "daily codes per network"),
    "sms_max_attempts": ("验证码可尝试次数", "tries per code"),
    "rollover_window_start": ("升级窗口开始日期", "promotion window start"),
    "rollover_window_end": ("升级窗口结束日期", "promotion window end"),
    "rollover_auto_date": ("自动升级日期", "automatic promotion date"),
}

# Choice values clients send as codes, with the words users know them by.
VALUE_NAMES: dict[str, tuple[str, str]] = {
    "father": ("父亲", "father"), "mother": ("母亲", "mother"), "guardian": ("监护人", "guardian"),
    "other": ("其他", "other"), "M": ("男", "male"), "F": ("女", "female"),
}


def _choices(expected: str) -> str:
    values = [v.strip().strip("'\"") for v in expected.replace(" or ", ", ").split(",") if v.strip()]
    named = []
    for value in values:
        word = VALUE_NAMES.get(value)
        shown = value or '""'
        if word:
            shown = in_language(f"{shown}({word[0]})", shown if word[1] == value else f"{shown} ({word[1]})")
        named.append(shown)
    return in_language("、", ", ").join(named)


# pydantic error type -> (catalogue code, the ctx key giving its limit or choices)
ERROR_TYPES: dict[str, tuple[str, str]] = {
    "missing": ("field.required", ""),
    "string_too_long": ("field.too_long", "max_length"),
    "string_too_short": ("field.too_short", "min_length"),
    "too_long": ("field.too_many", "max_length"),
    "too_short": ("field.too_few", "min_length"),
    "literal_error": ("field.choice", "expected"),
    "enum": ("field.choice", "expected"),
    "int_parsing": ("field.integer", ""), "int_type": ("field.integer", ""), "int_from_float": ("field.integer", ""),
    "float_parsing": ("field.number", ""), "float_type": ("field.number", ""), "decimal_parsing": ("field.number", ""),
    "greater_than_equal": ("field.too_small", "ge"), "greater_than": ("field.not_above", "gt"),
    "less_than_equal": ("field.too_large", "le"), "less_than": ("field.not_below", "lt"),
    "bool_parsing": ("field.boolean", ""), "bool_type": ("field.boolean", ""),
    "string_type": ("field.text", ""), "string_unicode": ("field.text", ""),
    "date_parsing": ("field.date", ""), "date_type": ("field.date", ""), "date_from_datetime_parsing": ("field.date", ""),
    "date_from_datetime_inexact": ("field.date", ""),
    "datetime_parsing": ("field.datetime", ""), "datetime_type": ("field.datetime", ""),
    "datetime_from_date_parsing": ("field.datetime", ""),
    "list_type": ("field.list", ""), "set_type": ("field.list", ""), "tuple_type": ("field.list", ""),
    "dict_type": ("field.object", ""), "model_type": ("field.object", ""), "model_attributes_type": ("field.object", ""),
    "string_pattern_mismatch": ("field.format", ""),
    "text_nul": ("field.control_character", ""),
    "file_not_value": ("field.file_not_value", ""),
    "extra_forbidden": ("field.unknown", ""),
}

_WHOLE_BODY = ("请求内容", "request body")


def field_label(path: list[str]) -> str:
    """The user's word for the field at `path`: the last named step, with the item number for lists."""
    # A dict key the user sent is in the path too: "²" is a digit to str.isdigit() but no number.
    names = [p for p in path if parse_number(p) is None]
    items = [n + 1 for n in map(parse_number, path) if n is not None]
    if not names:
        label = in_language(*_WHOLE_BODY)
    else:
        name = names[-1]
        known = FIELD_NAMES.get(name)
        label = in_language(*known) if known else f"“{name.replace('_', ' ').capitalize()}”"
    if items:
        label = in_language(f"{label}(第 {items[-1]} 项)", f"{label} (item {items[-1]})")
    return label


def _path(loc: tuple | list) -> list[str]:
    # Ninja's loc is ("body", parameter, field, ...): a body parameter's own name means nothing to users. Query,
    # path and form parameters are each their own field: (where, name).
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body" and len(parts) >= 2:
        parts = parts[2:]
    elif parts and parts[0] in ("query", "path", "header", "cookie", "form", "file"):
        parts = parts[1:]
    return parts


def field_error(error: dict) -> tuple[str, UserFacingError]:
    """(the field's path "a.b.0", its catalogue error) for one pydantic error dict."""
    path = _path(error.get("loc", ()))
    code, key = ERROR_TYPES.get(error.get("type", ""), ("field.invalid", ""))
    if code == "field.unknown":
        return ".".join(path), UserFacingError(code, field=path[-1] if path else "")
    params: dict[str, object] = {"field": field_label(path)}
    ctx = error.get("ctx") or {}
    if code == "field.choice":
        params["allowed"] = _choices(str(ctx.get(key, "")))
    elif key:
        params["limit"] = ctx.get(key, "")
    return ".".join(path), UserFacingError(code, **params)


def validation_error(errors: list[dict]) -> tuple[UserFacingError, list[dict[str, str]]]:
    """The request.invalid error whose message lists one sentence per field, and the per-field list
    ({"field", "code", "message"}) for clients that mark the fields themselves."""
    seen: dict[str, UserFacingError] = {}
    for error in errors:
        path, found = field_error(error)
        seen.setdefault(path, found)  # the first problem of a field is the one to fix first
    fields = [{"field": path, "code": e.code, "message": e.message} for path, e in seen.items()]
    detail = in_language("", " ").join(f["message"] for f in fields)
    return UserFacingError("request.invalid", detail=detail[:1000]), fields
