from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "renrentong.accounts"
    label = "accounts"
