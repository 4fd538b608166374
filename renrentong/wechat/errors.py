"""The WeChat error catalogue (MSG-2, MSG-4): each refusal names its cause and who fixes it (HELP-1)."""

from renrentong.core.errors import ErrorSpec, Fixer

ENTRIES = {
    "wechat.not_configured": ErrorSpec(
        409, "本地区尚未配置微信公众号，暂时无法绑定微信或打印绑定码；请区县管理员在“微信公众号”页面填写配置。",
        "No WeChat official account is set up for this region yet, so WeChat cannot be bound and binding codes "
        "cannot be printed; the district admin sets it up on the WeChat official account page.",
        Fixer.DISTRICT_ADMIN),
    "wechat.config_not_allowed": ErrorSpec(
        403, "只有区县或市级管理员可以配置本地区的微信公众号。",
        "Only district and city admins set up their region's WeChat official account.", Fixer.DISTRICT_ADMIN),
    "wechat.follows_not_allowed": ErrorSpec(
        403, "只有学校管理员、教师和教育局管理员可以查看微信关注情况。",
        "Only school admins, teachers and education bureau admins see who follows on WeChat.", Fixer.SCHOOL_ADMIN),
    "wechat.appid_invalid": ErrorSpec(
        400, "AppID 格式不正确：应以 wx 开头，共 18 位字母或数字。",
        "The AppID looks wrong: it starts with wx and has 18 letters and digits.", Fixer.DISTRICT_ADMIN),
    "wechat.secret_required": ErrorSpec(
        400, "请填写 AppSecret（32 位），或在服务器环境变量中设置。",
        "Enter the AppSecret (32 characters), or set it in the server's environment.", Fixer.DISTRICT_ADMIN),
    "wechat.template_required": ErrorSpec(
        400, "请填写模板消息的模板ID。", "Enter the template message's template ID.", Fixer.DISTRICT_ADMIN),
    "wechat.token_invalid": ErrorSpec(
        400, "回调令牌（Token）应为 3 到 32 位字母或数字。",
        "The callback token is 3 to 32 letters and digits.", Fixer.DISTRICT_ADMIN),
    "wechat.aes_key_invalid": ErrorSpec(
        400, "消息加解密密钥（EncodingAESKey）应为 43 位字母或数字，不用时请留空。",
        "The EncodingAESKey is 43 letters and digits; leave it empty if unused.", Fixer.DISTRICT_ADMIN),
    "wechat.appid_taken": ErrorSpec(
        409, "该 AppID 已被其他地区使用。", "Another region already uses this AppID.", Fixer.PROVINCE_ADMIN),
    "wechat.unavailable": ErrorSpec(
        424, "暂时无法连接微信服务器，请稍后再试。",
        "The WeChat servers cannot be reached just now; try again in a moment.", Fixer.SUPPORT),
    "wechat.oauth_failed": ErrorSpec(
        400, "微信授权已过期或无效，请返回后重新打开绑定页面。",
        "The WeChat authorisation expired or is invalid; go back and open the binding page again.", Fixer.SELF),
    "wechat.signature_invalid": ErrorSpec(
        403, "签名校验失败。", "The signature does not match.", Fixer.SUPPORT),
}

# The fix shown beside each configuration error WeChat reports (the config page, for the district admin).
CONFIG_FIXES = {
    "40037": ("模板ID无效：请在公众平台重新选用模板并在此填写",
              "The template ID is invalid: choose the template again on the WeChat platform and enter it here"),
    "47003": ("模板数据无效：请确认所选模板的字段为 thing、thing、time（标题、发送人、时间）",
              "The template data is invalid: the chosen template's fields must be thing, thing, time "
              "(title, sender, time)"),
    "40013": ("AppID 无效：请核对公众平台“设置与开发-基本配置”中的 AppID",
              "The AppID is invalid: check it under Settings and Development, Basic Configuration"),
    "40125": ("AppSecret 无效：请在公众平台重置 AppSecret 并在此填写",
              "The AppSecret is invalid: reset it on the WeChat platform and enter it here"),
    "40164": ("服务器 IP 不在白名单：请在公众平台“IP白名单”中加入本平台服务器的 IP",
              "The server's IP address is not whitelisted: add the platform's server IPs on the WeChat platform"),
}
