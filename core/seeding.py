"""Loading the seed fixtures: atomic, idempotent, and respectful of editors' corrections.

The fixtures in `seeds/` use Django's JSON fixture format with natural keys (ISO codes
and slugs, never numeric ids), one file per kind, loaded in file-name order.

Each row the loader writes is remembered in a SeedRecord with the version it left the
row at and a digest of the fixture entry. On a later run:
- a row whose version has moved on was corrected by an editor: it is left alone;
- a row whose fixture entry changed, and that no editor touched, is updated;
- anything else is unchanged.
"""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db import transaction

from .bilingual import LANGUAGES, translated_fields
from .changes import bulk_write
from .models import SeedRecord

SEED_DIR = Path(settings.BASE_DIR) / "seeds"


class SeedError(Exception):
    """A fixture is malformed or inconsistent. The message names the file, the record and the problem."""

    def __init__(self, file_name, index, record, problem):
        self.file_name, self.index, self.record, self.problem = file_name, index, record, problem
        where = f"{file_name}, record {index + 1}"
        if record:
            where += f" ({record})"
        super().__init__(f"{where}: {problem}")


@dataclass
class Report:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    left_alone: list = field(default_factory=list)

    @property
    def changed_anything(self):
        return bool(self.created or self.updated)


@dataclass
class Entry:
    file_name: str
    index: int
    raw: dict

    @property
    def digest(self):
        return hashlib.sha256(json.dumps(self.raw, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def read_entries(seed_dir):
    seed_dir = Path(seed_dir)
    files = sorted(seed_dir.glob("*.json"))
    if not files:
        raise SeedError(str(seed_dir), -1, "", "no fixture files (*.json) found")
    entries = []
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise SeedError(path.name, -1, "", f"not valid JSON: {exc}") from exc
        if not isinstance(data, list):
            raise SeedError(path.name, -1, "", "a fixture file holds a JSON list of records")
        for index, raw in enumerate(data):
            if not isinstance(raw, dict) or not isinstance(raw.get("fields"), dict) or "model" not in raw:
                raise SeedError(path.name, index, "", 'each record needs "model" and "fields"')
            if "pk" in raw:
                raise SeedError(path.name, index, raw["model"], "use natural keys, not a numeric pk")
            entries.append(Entry(path.name, index, raw))
    return entries


class Loader:
    def __init__(self, seed_dir=SEED_DIR):
        self.seed_dir = seed_dir
        self.report = Report()

    def run(self):
        entries = read_entries(self.seed_dir)
        seen = {}
        # What derives from the records (the site's version, the search index) is brought up to
        # date once, after the commit, not record by record (core.changes).
        with transaction.atomic(), bulk_write() as write:
            for entry in entries:
                self.apply(entry, seen)
            write.changed = self.report.changed_anything
        return self.report

    # -- one record ----------------------------------------------------------------

    def apply(self, entry, seen):
        model = self.model_for(entry)
        values, m2m = self.build(model, entry)
        instance = model(**values)
        try:
            key = list(instance.natural_key())
        except ObjectDoesNotExist as exc:
            raise self.error(entry, "", f"broken reference in its natural key: {exc}") from exc
        label = f"{model._meta.label_lower} {'/'.join(map(str, key))}"
        key_json = json.dumps(key, ensure_ascii=False)
        if (model, key_json) in seen:
            first = seen[(model, key_json)]
            raise self.error(
                entry, label, f"duplicate key {key}: already used by {first.file_name}, record {first.index + 1}"
            )
        seen[(model, key_json)] = entry

        record = SeedRecord.objects.filter(model=model._meta.label_lower, key=key_json).first()
        if record is None:
            self.create(entry, model, label, key_json, values, m2m)
            return
        current = model._default_manager.filter(pk=record.object_id).first()
        if current is None:
            self.report.left_alone.append(f"{label}: deleted by an editor")
        elif current.version != record.version:
            self.report.left_alone.append(f"{label}: changed by an editor")
        elif record.digest == entry.digest:
            self.report.unchanged.append(label)
        else:
            for name, value in values.items():
                setattr(current, name, value)
            self.save(entry, label, current, m2m)
            record.version, record.digest = current.version, entry.digest
            record.save()
            self.report.updated.append(label)

    def create(self, entry, model, label, key_json, values, m2m):
        try:
            model._default_manager.get_by_natural_key(*json.loads(key_json))
        except model.DoesNotExist:
            pass
        else:
            self.report.left_alone.append(f"{label}: entered by an editor, not by the seeds")
            return
        instance = model(**values)
        self.save(entry, label, instance, m2m)
        SeedRecord.objects.create(
            model=model._meta.label_lower, key=key_json, object_id=instance.pk,
            version=instance.version, digest=entry.digest,
        )
        self.report.created.append(label)

    def save(self, entry, label, instance, m2m):
        try:
            instance.full_clean()
        except ValidationError as exc:
            raise self.error(entry, label, describe(exc)) from exc
        instance.save()
        for name, targets in m2m.items():
            getattr(instance, name).set(targets)

    # -- building values ---------------------------------------------------------

    def model_for(self, entry):
        try:
            return apps.get_model(entry.raw["model"])
        except (LookupError, ValueError) as exc:
            raise self.error(entry, "", f"unknown model {entry.raw['model']!r}") from exc

    def build(self, model, entry):
        fields = entry.raw["fields"]
        translated, _required = translated_fields(model)
        for name in translated:
            if name in fields:
                raise self.error(entry, "", f"give {name!r} per language ({name}_ar, {name}_en), not bare")
            given = {lang: (fields.get(f"{name}_{lang}") or "").strip() for lang in LANGUAGES}
            if any(given.values()):
                for lang, text in given.items():
                    if not text:
                        language = "English" if lang == "en" else "Arabic"
                        raise self.error(entry, self.describe_raw(fields), f"missing {language} text for {name!r}")
        values, m2m = {}, {}
        for name, value in fields.items():
            try:
                model_field = model._meta.get_field(name)
            except FieldDoesNotExist as exc:
                raise self.error(entry, self.describe_raw(fields), f"unknown field {name!r}") from exc
            if model_field.many_to_many:
                m2m[name] = [self.resolve(entry, fields, model_field, key) for key in value]
            elif model_field.is_relation:
                values[model_field.name] = None if value is None else self.resolve(entry, fields, model_field, value)
            else:
                try:
                    values[name] = model_field.to_python(value)
                except ValidationError as exc:
                    raise self.error(entry, self.describe_raw(fields), f"{name}: {describe(exc)}") from exc
        return values, m2m

    def resolve(self, entry, fields, model_field, key):
        target = model_field.related_model
        key = key if isinstance(key, list) else [key]
        try:
            return target._default_manager.get_by_natural_key(*key)
        except target.DoesNotExist as exc:
            if target._meta.label_lower == "participants.country":
                problem = f"unknown country code {key[0]!r} in {model_field.name!r}"
            else:
                problem = (
                    f"broken reference: {model_field.name!r} points to {target._meta.label_lower} "
                    f"{'/'.join(map(str, key))}, which does not exist (yet)"
                )
            raise self.error(entry, self.describe_raw(fields), problem) from exc

    @staticmethod
    def describe_raw(fields):
        for name in ("slug", "code", "key"):
            if fields.get(name):
                return str(fields[name])
        return ""

    def error(self, entry, record, problem):
        return SeedError(entry.file_name, entry.index, record, problem)


def describe(exc):
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items())
    return " ".join(exc.messages)
