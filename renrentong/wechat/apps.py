from django.apps import AppConfig


class WechatConfig(AppConfig):
    name = "renrentong.wechat"
    label = "wechat"
