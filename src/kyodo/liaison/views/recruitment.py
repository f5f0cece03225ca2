"""Placeholder: filled by the recruitment area."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
