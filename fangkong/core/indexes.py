"""Index kinds the models share."""

from __future__ import annotations

from typing import Any

from django.db import models


class EqualityIndex(models.Index):
    """An index for exact matches only: a hash index on PostgreSQL, a plain one elsewhere.

    Made for the blind indexes (keyed hashes of phones and document numbers): their values
    are random, so each insert into a B-tree dirties a random leaf page, and every leaf
    touched after a checkpoint is written to the WAL in full. A hash index keeps a 4-byte
    code per row instead of the whole key, a fraction of the pages, and serves the only
    lookup there is (`=`). It cannot be unique: uniqueness stays with a B-tree."""

    def create_sql(self, model: Any, schema_editor: Any, using: str = "", **kwargs: Any) -> Any:
        if schema_editor.connection.vendor == "postgresql":
            if len(self.fields) != 1 or self.expressions or self.condition is not None:
                raise ValueError("EqualityIndex: a PostgreSQL hash index takes one column")
            using = " USING hash"
        return super().create_sql(model, schema_editor, using=using, **kwargs)
