"""From the sales ledger to scores: the mapping file, reading and checking every line, per-customer metrics and
whitespace, the share-of-wallet estimate, scores by quantiles or thresholds, writing them into the workbook
(`kam ingest`), and the views of the ledger's metrics."""
