"""The uploads error catalogue (SPC-4): each refusal says why and what to do, and who can fix it."""

from renrentong.core.errors import ErrorSpec, Fixer

ENTRIES = {
    "uploads.type_refused": ErrorSpec(
        400, "不支持该文件类型：请上传 JPEG、PNG、GIF、WebP、HEIC 图片或 PDF、Word、Excel、PowerPoint 文件。"
        "（SVG、网页、程序、压缩包和带宏的文件不能上传。）",
        "This type of file is not accepted: upload a JPEG, PNG, GIF, WebP or HEIC image, or a PDF, Word, "
        "Excel or PowerPoint file. (SVG, web pages, programs, archives and files with macros are refused.)",
        Fixer.SELF),
    "uploads.too_large": ErrorSpec(
        413, "文件太大（{size}），上限为 {limit}：请压缩或拆分后再上传。",
        "The file is too large ({size}); the limit is {limit}. Make it smaller or split it, then upload it "
        "again.", Fixer.SELF),
    "uploads.not_compressible": ErrorSpec(
        413, "图片（{size}）无法压缩到 {limit} 以内：请裁剪图片或用较低的分辨率重新拍摄后再上传。",
        "The image ({size}) could not be made smaller than {limit}: crop it or take it at a lower "
        "resolution, then upload it again.", Fixer.SELF),
    "uploads.bomb": ErrorSpec(
        400, "图片的像素过多（超过 5000 万像素），无法处理：请缩小图片尺寸后再上传。",
        "The image has too many pixels (over 50 million) to be processed: resize it to smaller dimensions "
        "and upload it again.", Fixer.SELF),
    "uploads.unreadable": ErrorSpec(
        400, "文件已损坏或不完整，无法读取：请重新导出或重新拍摄后再上传。",
        "The file is damaged or incomplete and cannot be read: export or take it again, then upload it "
        "again.", Fixer.SELF),
    "uploads.quota_exceeded": ErrorSpec(
        429, "今天的上传已达上限（每个账号 24 小时内最多 {files} 个文件、共 {limit}）：请明天再上传，"
        "或删除不需要的附件。",
        "You have reached today's upload limit ({files} files or {limit} in 24 hours per account): upload "
        "again tomorrow.", Fixer.SELF),
    "uploads.no_place": ErrorSpec(
        403, "你的账号还没有关联学校，不能上传文件：请联系学校管理员。",
        "Your account is not linked to a school yet, so it cannot upload files: ask the school admin.",
        Fixer.SCHOOL_ADMIN),
    "uploads.no_file": ErrorSpec(
        400, "请选择要上传的文件。", "Choose a file to upload.", Fixer.SELF),
    "uploads.link_expired": ErrorSpec(
        403, "文件链接已过期或不属于当前账号，请返回上一页重新打开。",
        "This file link has expired or belongs to another account; go back and open the file again.",
        Fixer.SELF),
}
