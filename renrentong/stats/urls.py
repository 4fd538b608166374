from django.urls import path

from renrentong.stats import views

app_name = "stats"

urlpatterns = [
    path("", views.home_page, name="home"),
    path("<str:level>/<int:node_id>/", views.figures_page, name="figures"),
]
