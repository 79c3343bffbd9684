"""What leaves the analyst's machine: reports (papermill + nbconvert), the stakeholders' dashboard, `kam serve`
(Voilà), and the consultants' PowerPoint deck. The notebooks these run and their Jupyter templates are package data
(`notebooks/`, `jupyter/`)."""
