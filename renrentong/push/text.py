"""What a push says (NFR-1): title, sender, time and link, never the body or a child's data."""

from __future__ import annotations

from django.utils import timezone

from renrentong.push.channels import PushMessage

SMS_LIMIT = 140  # two segments of a Chinese text message
SMS_TEMPLATE = "【人人通】{sender}发布了通知《{title}》，请登录查看：{link}"


def sms_text(message: PushMessage) -> str:
    """The SMS text cut to SMS_LIMIT: the title shortens first, then the sender; the link stays whole."""
    sender, title = message.sender, message.title
    text = SMS_TEMPLATE.format(sender=sender, title=title, link=message.link)
    over = len(text) - SMS_LIMIT
    if over > 0 and len(title) > 8:
        cut = min(over + 1, len(title) - 8)
        title = title[: len(title) - cut] + "…"
        text = SMS_TEMPLATE.format(sender=sender, title=title, link=message.link)
        over = len(text) - SMS_LIMIT
    if over > 0 and len(sender) > 4:
        cut = min(over + 1, len(sender) - 4)
        sender = sender[: len(sender) - cut] + "…"
        text = SMS_TEMPLATE.format(sender=sender, title=title, link=message.link)
    return text


def subject(message: PushMessage) -> str:
    return f"【人人通】{message.title}"


def plain_text(message: PushMessage) -> str:
    at = timezone.localtime(message.sent_at).strftime("%Y-%m-%d %H:%M")
    return (f"{message.sender}于{at}发布了通知《{message.title}》，请登录人人通查看：{message.link}\n\n"
            f"{message.sender} posted the notice “{message.title}” at {at}. Sign in to read it: {message.link}\n")


def payload(message: PushMessage) -> dict:
    """The Web Push payload the service worker shows as a notification."""
    return {"title": message.title, "sender": message.sender, "sent_at": message.sent_at.isoformat(),
            "link": message.link}
