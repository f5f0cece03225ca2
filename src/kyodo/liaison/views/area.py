"""Placeholder: filled by the area area."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
