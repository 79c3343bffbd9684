"""The key-account plan (METHOD.md §4–6): who should be a key account (selection), what each strategy asks for
(playbook), the buying centre (stakeholders), the balanced scorecard, movement in the matrix, and the plan of one
account that brings them together (account)."""
