"""The engagement workbook: its contract (`sheets`), reading (`read`), checking (`validate`) and template."""
