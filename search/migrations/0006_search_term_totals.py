"""On PostgreSQL, how many entries of each kind hold each word of the index (`search_term_total`).

A search counts its matches by kind for the tabs and the groups' headings. For one word, the
count read every posting of the word: 8,353 of «Hamza» at 10,000 conferences, about a quarter of
the search's time in the database. The totals are now kept with the postings: `search.index`
adds an edit's new postings to them, the trigger that deletes an entry's postings takes them off,
a rebuild counts them anew, and a TRUNCATE of the entries empties them with the rest.
"""

from django.db import migrations

FORGET_WORDS = """
    CREATE OR REPLACE FUNCTION search_entry_forget_words() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {body}
        RETURN NULL;
    END $$
"""
FORGET_ALL_WORDS = """
    CREATE OR REPLACE FUNCTION search_entry_forget_all_words() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE {tables};
        RETURN NULL;
    END $$
"""
OLD_FORGET = "DELETE FROM search_posting WHERE entry_id IN (SELECT id FROM gone);"
NEW_FORGET = """
        WITH forgotten AS (
            DELETE FROM search_posting WHERE entry_id IN (SELECT id FROM gone) RETURNING term_id, kind
        )
        UPDATE search_term_total AS counted SET total = counted.total - gone_words.number
        FROM (SELECT term_id, kind, COUNT(*) AS number FROM forgotten GROUP BY term_id, kind) AS gone_words
        WHERE counted.term_id = gone_words.term_id AND counted.kind = gone_words.kind;
"""

FORWARDS = [
    """
    CREATE TABLE search_term_total (
        term_id integer NOT NULL,
        kind varchar(12) NOT NULL,
        total integer NOT NULL,
        PRIMARY KEY (term_id, kind)
    )
    """,
    # What search.index writes after a rebuild, as it was when this migration was written.
    """
    INSERT INTO search_term_total (term_id, kind, total)
    SELECT term_id, kind, COUNT(*) FROM search_posting GROUP BY term_id, kind
    """,
    FORGET_WORDS.format(body=NEW_FORGET),
    FORGET_ALL_WORDS.format(tables="search_posting, search_term, search_term_total"),
    "ANALYZE search_term_total",
]
BACKWARDS = [
    FORGET_WORDS.format(body=OLD_FORGET),
    FORGET_ALL_WORDS.format(tables="search_posting, search_term"),
    "DROP TABLE IF EXISTS search_term_total",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARDS:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARDS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_search_terms")]

    operations = [migrations.RunPython(forwards, backwards)]
