"""Placeholder: filled by the workshops area."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
