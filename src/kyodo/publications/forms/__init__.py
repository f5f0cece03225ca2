"""The forms of the publications app, one module per area: annual (the annual event
calendar), newsletter and ledger."""
