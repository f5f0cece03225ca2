"""Placeholder: filled by the evaluation area."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
