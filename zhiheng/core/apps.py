from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhiheng.core"
    label = "core"
