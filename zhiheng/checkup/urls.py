from django.urls import path

from .web import archive, sitting, views
from .web.declaring import declare

app_name = "checkup"
PERSON = "people/<str:username>/"
urlpatterns = [
    path("", views.index, name="index"),
    path(PERSON, views.person, name="person"),
    path(PERSON + "declarations/<int:pk>/", views.declaration, name="declaration"),
    path(PERSON + "declare/", declare, name="declare"),
    path(PERSON + "exams/", views.record_exam, name="record_exam"),
    path(PERSON + "opinions/", views.issue_opinion, name="issue_opinion"),
    path(PERSON + "papers/", views.draw_paper, name="draw_paper"),
    path(PERSON + "papers/<int:pk>/", views.paper, name="paper"),
    path(PERSON + "papers/<int:pk>/start/", sitting.start, name="start_sitting"),
    path(PERSON + "papers/<int:pk>/sit/", sitting.sit, name="sit"),
    path(PERSON + "papers/<int:pk>/sit/answers/", sitting.save, name="save_answers"),
    path(PERSON + "papers/<int:pk>/sit/submit/", sitting.submit, name="submit_sitting"),
    path(PERSON + "papers/<int:pk>/mark/", sitting.mark, name="mark"),
    path(PERSON + "archive/", archive.person_archive, name="archive"),
    path("archive-scheme/<str:code>/", archive.archive_scheme, name="archive_scheme"),
    path("bank/<str:code>/", views.bank, name="bank"),
    path("bank/<str:code>/import/", views.import_bank, name="import_bank"),
    path("bank/<str:code>/export/", views.export_bank, name="export_bank"),
]
