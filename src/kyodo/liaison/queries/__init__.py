"""Reusable reads of the liaison app, one module per area: ``staff`` (assignments, areas'
requests, participation), ``area`` (key people, open matters, handover), ``evaluation``,
``workshops``, ``recruitment``."""
