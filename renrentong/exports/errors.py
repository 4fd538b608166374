"""The exports error catalogue (issue 12, item 5)."""

from renrentong.core.errors import ErrorSpec, Fixer

ENTRIES = {
    "export.not_ready": ErrorSpec(
        409, "文件还在生成中，请稍候。", "The file is still being written; please wait.", Fixer.SELF),
    "export.expired": ErrorSpec(
        410, "该导出文件已过期并已删除，请重新导出。", "This export has expired and was deleted; export again.",
        Fixer.SELF),
    "export.failed": ErrorSpec(
        409, "导出文件生成失败，请重试；多次失败请联系平台技术支持。",
        "The export could not be written; try again, and if it keeps failing, tell platform support.",
        Fixer.SUPPORT),
    "export.wrong_state": ErrorSpec(
        409, "该导出当前不能重试。", "This export cannot be retried now.", Fixer.SELF),
}
