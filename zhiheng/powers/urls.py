app_name = "powers"
urlpatterns: list = []
