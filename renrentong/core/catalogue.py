"""The core error catalogue: every refusal this app raises, in Chinese and English, with who can fix it.

It joins the one catalogue at start (core.errors.register_catalogues); a code defined twice fails there.

- validation: Errors of request fields (HELP-1; issue 10): one message per field in the request's language, naming
the field as users know it (core/validation.py maps schema names to words). {field} is that name.
"""

from renrentong.core.errors import ErrorSpec, Fixer

_PLATFORM = {
    "scope.not_found": ErrorSpec(
        404,
        "没有找到该内容,或你无权查看。如确需访问,请联系你的学校管理员或上级管理员。",
        "Not found, or you may not see it. If you need access, ask your school admin or an admin above you.",
        Fixer.SCHOOL_ADMIN,
    ),
    "privacy.reveal_not_allowed": ErrorSpec(
        403,
        "完整身份证号仅学校管理员及以上管理员可查看,且每次查看都会记录。如需核对,请联系学校管理员。",
        "Only school admins and admins above them may see a full ID number, and every view is logged. Ask the "
        "school admin if you need it checked.",
        Fixer.SCHOOL_ADMIN,
    ),
    "request.invalid": ErrorSpec(
        400, "请求内容有误:{detail}", "The request is invalid: {detail}", Fixer.SELF
    ),
    # A database or cache that cannot be reached mid-request (a failover, a restart): core.web.outage.
    "service.database_unavailable": ErrorSpec(
        503,
        "平台数据库暂时无法连接(可能正在切换或维护),请稍候片刻再试。刚才的操作如果没有显示成功,请刷新查看是否已保存后再重做。"
        "如持续出现,请联系平台技术支持。",
        "The platform's database cannot be reached right now (it may be switching over or under maintenance). Try "
        "again in a moment. If what you just did did not show success, reload to see whether it was saved before "
        "doing it again. If this persists, contact platform support.",
        Fixer.SUPPORT,
    ),
    "request.not_found": ErrorSpec(404, "没有该页面或接口。", "No such page or endpoint.", Fixer.SELF),
    "request.method_not_allowed": ErrorSpec(
        405, "该接口不支持此请求方法。", "This endpoint does not accept that method.", Fixer.SELF
    ),
    # Roster files (IMP-1, IMP-6): why an uploaded file cannot be read at all; rosters/reader.py.
    "import.file_too_large": ErrorSpec(
        413,
        "文件超过 20 MB 的上限。请删除无关的工作表、图片和多余的行列后再上传,或把名单拆成几个文件分别导入。",
        "The file is larger than the 20 MB limit. Remove unrelated sheets, pictures and surplus rows and columns, "
        "or split the roster into several files.",
        Fixer.SCHOOL_ADMIN,
    ),
    # A roster's upload (rosters, not the 20 MB uploads of other pages): a workbook is parsed whole, a CSV streams.
    "import.workbook_too_large": ErrorSpec(
        413,
        "工作簿(.xlsx、.xls)超过 20 MB 的上限。较大的名单请在 Excel 中“另存为”CSV(UTF-8)后上传,CSV 文件最大 200 MB、"
        "1,048,575 行,一个市的名单可以放在一个文件里;也可以按学校把名单拆成几个文件分别导入。",
        "The workbook (.xlsx, .xls) is larger than the 20 MB limit. Save a large roster as CSV (UTF-8) in Excel and "
        "upload that: a CSV may be up to 200 MB and 1,048,575 rows, a whole city's roster in one file. Or split "
        "the roster by school into several files.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.csv_too_large": ErrorSpec(
        413,
        "文件超过 200 MB 的上限(CSV 最大 200 MB,工作簿最大 20 MB)。请删除名单以外的列,或按学校、年级把名单拆成几个文件"
        "分别导入。",
        "The file is larger than the 200 MB limit (a CSV may be up to 200 MB, a workbook 20 MB). Remove the "
        "columns the roster does not need, or split it by school or grade into several files.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_empty": ErrorSpec(
        400,
        "文件是空的,或第一个工作表中没有内容。请把名单填在第一个工作表里,保存后再上传。",
        "The file is empty, or its first sheet has nothing in it. Put the roster on the first sheet, save, and "
        "upload again.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_not_spreadsheet": ErrorSpec(
        400,
        "无法识别“{name}”:它的内容不是 .xlsx、.xls 或 .csv 表格(按文件内容判断,与扩展名无关)。请用 Excel 或 WPS "
        "打开后“另存为”Excel 工作簿(.xlsx)再上传;CSV 文件须是 UTF-8 或 GB18030(GBK)编码的文本。",
        "“{name}” is not an .xlsx, .xls or .csv spreadsheet (judged by its content, not its extension). Open it "
        "in Excel or WPS and save it as an Excel workbook (.xlsx); a CSV file must be UTF-8 or GB18030 (GBK) text.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_unsupported_format": ErrorSpec(
        400,
        "“{name}”是 {format} 格式的文件,不能直接导入。请用 Excel 或 WPS 打开后“另存为”Excel 工作簿(.xlsx)再上传。",
        "“{name}” is a {format} file and cannot be imported as it is. Open it in Excel or WPS and save it as an "
        "Excel workbook (.xlsx).",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_damaged": ErrorSpec(
        400,
        "文件已损坏或内部结构异常,无法安全读取。请用 Excel 或 WPS 打开确认内容后,“另存为”新的 .xlsx 文件再上传。",
        "The file is damaged or its internal structure is inconsistent, so it cannot be read safely. Open it in "
        "Excel or WPS, check it, and save it as a new .xlsx file.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_too_many_parts": ErrorSpec(
        400,
        "文件内部有 {count} 个部件,超过上限 {limit} 个(正常的名单表格只有几十个)。请只保留名单所在的工作表,"
        "另存为新的 .xlsx 再上传。",
        "The file holds {count} internal parts, more than the limit of {limit} (a roster has a few dozen). Keep "
        "only the roster sheet and save it as a new .xlsx.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_unpacked_too_large": ErrorSpec(
        413,
        "文件解压后的内容过大,或压缩比异常(可能是恶意构造的“压缩炸弹”),为安全起见不予读取。请只保留名单所在的工作表,"
        "另存为新的 .xlsx 再上传。",
        "Unpacked, the file would be far too large, or it is compressed suspiciously well (a possible zip bomb), "
        "so it is not read. Keep only the roster sheet and save it as a new .xlsx.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_macro": ErrorSpec(
        400,
        "文件包含宏(VBA 代码或宏表),为安全起见不予接受。请在 Excel 或 WPS 中“另存为”不含宏的 Excel 工作簿(*.xlsx)"
        "再上传。",
        "The file contains macros (VBA code or macro sheets) and is refused for safety. Save it in Excel or WPS as "
        "a macro-free Excel workbook (*.xlsx).",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_xml_doctype": ErrorSpec(
        400,
        "文件内部含有 XML 文档类型声明(DOCTYPE/ENTITY)。Excel 和 WPS 保存的表格不会有这种内容,它可能是恶意构造的文件,"
        "已拒绝。请用 Excel 或 WPS 打开后另存为新的 .xlsx 再上传。",
        "The file contains an XML document type declaration (DOCTYPE/ENTITY). Workbooks saved by Excel or WPS "
        "never do; it may be a malicious file and is refused. Open it in Excel or WPS and save it as a new .xlsx.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_encrypted": ErrorSpec(
        400,
        "文件设置了打开密码(已加密),无法读取。请在 Excel 或 WPS 中打开,取消文件密码后保存,再上传。",
        "The file is protected with a password (encrypted) and cannot be read. Open it in Excel or WPS, remove "
        "the password, save, and upload again.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_too_many_rows": ErrorSpec(
        413,
        "第一个工作表的使用范围有 {rows} 行(带格式的空行也计算在内),超过单次导入的上限 {limit} 行。请删除数据下方多余的行"
        "(选中整行后“删除”,而不只是清除内容),或把名单拆成几个文件。",
        "The first sheet's used range has {rows} rows (formatted empty rows count), more than the limit of "
        "{limit} per import. Delete the surplus rows below the data (delete whole rows, not just their contents), "
        "or split the roster into several files.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_too_many_columns": ErrorSpec(
        413,
        "第一个工作表有 {columns} 列,超过上限 {limit} 列。请只保留导入模板中的列。",
        "The first sheet has {columns} columns, more than the limit of {limit}. Keep only the template's columns.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_too_many_cells": ErrorSpec(
        413,
        "第一个工作表有 {rows} 行 × {columns} 列,超过单次导入的上限({limit} 个单元格)。请删除与名单无关的列和行,"
        "或把名单拆成几个文件。",
        "The first sheet has {rows} rows by {columns} columns, more than the limit of {limit} cells per import. "
        "Delete the columns and rows unrelated to the roster, or split it into several files.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_too_complex": ErrorSpec(
        413,
        "读取该文件超出了安全限制(内存或时间)。文件可能被恶意构造,或内容远超名单所需(如大量带格式的空白单元格、超长文字)。"
        "请只保留名单数据,另存为新的 .xlsx 再上传。",
        "Reading this file went past the safety limits (memory or time). It may be crafted to attack the "
        "server, or hold far more than a roster needs (many formatted blank cells, very long texts). Keep only "
        "the roster data and save it as a new .xlsx.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.file_unreadable": ErrorSpec(
        400,
        "表格读取失败:文件内容有误,无法解析。请用 Excel 或 WPS 打开确认后,另存为新的 .xlsx 再上传。",
        "The spreadsheet could not be read: its content is malformed. Open it in Excel or WPS, check it, and save "
        "it as a new .xlsx.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.header_missing": ErrorSpec(
        400,
        "表头缺少必填列:{missing}(每列写其中任一名称即可,列的顺序不限)。请检查表头行,或下载导入模板对照填写。",
        "The header row lacks required columns: {missing} (any one of the names will do, in any order). Check the "
        "header row, or download the import template.",
        Fixer.SCHOOL_ADMIN,
    ),
    "import.header_duplicate": ErrorSpec(
        400,
        "表头中有几列表示同一项:{headers}。请删除或改名多余的列后再上传。",
        "Several header columns mean the same thing: {headers}. Delete or rename the extra columns.",
        Fixer.SCHOOL_ADMIN,
    ),
}

def _spec(zh: str, en: str) -> ErrorSpec:
    return ErrorSpec(400, zh, en, Fixer.SELF)


_VALIDATION = {
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
    "field.control_character": _spec("{field}含有不可见的控制字符(如 NUL),请删除后重试。",
                                     "The {field} holds an invisible control character (such as NUL); remove it and "
                                     "try again."),
    "field.file_not_value": _spec("{field}须为文字或数字,不能是文件。", "The {field} must be a value, not a file."),
    "field.format": _spec("{field}的格式不正确。", "The {field} is not in the expected format."),
    "field.unknown": _spec("不认识的字段“{field}”,请删除它。", "Unknown field “{field}”; remove it."),
    "field.invalid": _spec("{field}的值无效。", "The {field} has an invalid value."),
    "request.body_not_json": _spec(
        "请求内容不是有效的 JSON,请检查格式(如引号、逗号、括号是否成对)。",
        "The request body is not valid JSON; check its syntax (quotes, commas, brackets)."),
}

ENTRIES = {**_PLATFORM, **_VALIDATION}
