"""Figures pages, mounted at /appeals/figures/ inside the ``appeals`` namespace."""

from django.urls import path

from dangjian.appeals import views_figures

urlpatterns = [
    path("", views_figures.figures_page, name="figures"),
    path("departments/", views_figures.departments_page, name="figures_departments"),
]
