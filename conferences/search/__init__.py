"""The public search: one index of every record a reader may look for, in both languages.

- `index`: the SearchEntry rows (conferences.models): built from the records, rebuilt in
  bulk by `rebuild_search_index`, `load_seeds` and `generate_synthetic`, and kept current by
  signals when an editor saves a record or one of its alternative names.
- `query`: what a search box query means (portal.arabic.query_keys) and how entries are
  matched and ranked, on PostgreSQL (trigram-indexed substring match, full-text search,
  trigram similarity for "did you mean") and on SQLite (the same substring match).
- `display`: a page of results as the template shows it, with the matched words marked.

docs/search.md explains the design and its measurements.

This module imports nothing, so that conferences.models can import `query` without a cycle.
"""
