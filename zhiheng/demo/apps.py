from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "zhiheng.demo"
    label = "demo"
