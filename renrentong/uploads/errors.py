"""The uploads error catalogue (SPC-4): each refusal says why and what to do."""

from renrentong.core.errors import ErrorSpec, Fixer

ENTRIES = {
    "uploads.type_refused": ErrorSpec(
        400, "不支持该文件类型：请上传 JPEG、PNG、GIF、WebP、HEIC 图片或 PDF、Word、Excel、PowerPoint 文件。",
        "This type of file is not accepted: upload a JPEG, PNG, GIF, WebP or HEIC image, or a PDF, Word, "
        "Excel or PowerPoint file.", Fixer.SELF),
    "uploads.too_large": ErrorSpec(
        413, "文件太大（{size}），上限为 {limit}：请压缩后再上传。",
        "The file is too large ({size}); the limit is {limit}. Make it smaller and upload it again.", Fixer.SELF),
    "uploads.link_expired": ErrorSpec(
        403, "文件链接已过期，请返回上一页重新打开。",
        "This file link has expired; go back and open the file again.", Fixer.SELF),
}
