"""The push error catalogue (MSG-4): each refusal names its cause and who fixes it (HELP-1)."""

from renrentong.core.errors import ErrorSpec, Fixer

ENTRIES = {
    "push.outbox_not_allowed": ErrorSpec(
        403, "只有学校管理员和教育局管理员可以查看推送发件箱。",
        "Only school admins and education bureau admins read the push outbox.", Fixer.SCHOOL_ADMIN),
    "push.subscription_invalid": ErrorSpec(
        400, "浏览器推送订阅无效（需要 https 地址和完整的密钥），请刷新页面后重新开启推送。",
        "The browser's push subscription is not valid (an https endpoint and both keys are needed); reload "
        "the page and turn notifications on again.", Fixer.SELF),
    "push.web_push_off": ErrorSpec(
        404, "本平台未开启浏览器推送；通知请在消息中查看。",
        "Browser notifications are not set up on this platform; read notices in your inbox.", Fixer.SUPPORT),
}
