"""The liaison pages, one module per area; each exports its ``urlpatterns``."""
