"""Placeholder: filled by the staff area."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
