"""Input validation of the liaison pages, one module per area."""
