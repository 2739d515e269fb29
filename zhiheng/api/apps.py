from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "zhiheng.api"
    label = "api"
    verbose_name = "API"
