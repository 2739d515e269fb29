from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "zhiheng.web"
    label = "web"
