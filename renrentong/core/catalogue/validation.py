"""Errors of request fields (HELP-1; issue 10): one message per field in the request's language, naming
the field as users know it (core/validation.py maps schema names to words). {field} is that name."""

from renrentong.core.errors import ErrorSpec, Fixer


def _spec(zh: str, en: str) -> ErrorSpec:
    return ErrorSpec(400, zh, en, Fixer.SELF)


ENTRIES = {
    "field.required": _spec("请填写{field}。", "The {field} is required."),
    "field.too_long": _spec("{field}不能超过 {limit} 个字符。", "The {field} may have at most {limit} characters."),
    "field.too_short": _spec("{field}至少需要 {limit} 个字符。", "The {field} needs at least {limit} characters."),
    "field.too_many": _spec("{field}最多 {limit} 项。", "The {field} may hold at most {limit} items."),
    "field.too_few": _spec("{field}至少需要 {limit} 项。", "The {field} needs at least {limit} items."),
    "field.choice": _spec("{field}只能是以下之一:{allowed}。", "The {field} must be one of: {allowed}."),
    "field.integer": _spec("{field}须为整数。", "The {field} must be a whole number."),
    "field.number": _spec("{field}须为数字。", "The {field} must be a number."),
    "field.too_small": _spec("{field}不能小于 {limit}。", "The {field} may not be less than {limit}."),
    "field.not_above": _spec("{field}须大于 {limit}。", "The {field} must be more than {limit}."),
    "field.too_large": _spec("{field}不能大于 {limit}。", "The {field} may not be more than {limit}."),
    "field.not_below": _spec("{field}须小于 {limit}。", "The {field} must be less than {limit}."),
    "field.boolean": _spec("{field}须为是或否(true 或 false)。", "The {field} must be yes or no (true or false)."),
    "field.text": _spec("{field}须为文字。", "The {field} must be text."),
    "field.date": _spec("{field}须为日期,如 2025-09-01。", "The {field} must be a date, e.g. 2025-09-01."),
    "field.datetime": _spec("{field}须为日期和时间,如 2025-09-01T08:00:00+08:00。",
                            "The {field} must be a date and time, e.g. 2025-09-01T08:00:00+08:00."),
    "field.list": _spec("{field}须为列表。", "The {field} must be a list."),
    "field.object": _spec("{field}须为 JSON 对象。", "The {field} must be a JSON object."),
    "field.format": _spec("{field}的格式不正确。", "The {field} is not in the expected format."),
    "field.unknown": _spec("不认识的字段“{field}”,请删除它。", "Unknown field “{field}”; remove it."),
    "field.invalid": _spec("{field}的值无效。", "The {field} has an invalid value."),
    "request.body_not_json": _spec(
        "请求内容不是有效的 JSON,请检查格式(如引号、逗号、括号是否成对)。",
        "The request body is not valid JSON; check its syntax (quotes, commas, brackets)."),
}
