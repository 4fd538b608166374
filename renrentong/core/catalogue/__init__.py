"""Error catalogue entries per feature: one module each, `ENTRIES = {code: ErrorSpec(...)}` (see core.errors)."""
