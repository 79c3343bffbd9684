"""The look the HTML views share: the font stack (the system's fonts, nothing loaded) and the text colours."""

FONT = "'Source Sans 3', 'Segoe UI', 'Helvetica Neue', Arial, sans-serif"
TEXT, MUTED, GREY = "#1F2933", "#52606D", "#7B8794"
"""Body text, secondary text (contrast ≥ 4.5:1 on white) and the stripe of an account without a strategy."""
ALERT = "#B3261E"
"""What needs attention: a count above zero in the dashboard's summary band, a plan due for review (contrast ≥ 4.5:1
on white)."""
