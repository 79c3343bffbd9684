"""HTML fragments for people, for the reports, the dashboard and the notebooks: each one self-contained (inline
styles, nothing to load) with every text from the workbook escaped. The computations they show return data;
these only lay it out."""
