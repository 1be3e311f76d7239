"""The committed JSON Schemas match the models, and every content file names its schema."""

from conftest import CONTENT, ROOT

from generator.schema import SCHEMAS, schema_text


def test_committed_schemas_are_current():
    for name, model_class in SCHEMAS.items():
        committed = (ROOT / "schema" / f"{name}.schema.json").read_text(encoding="utf-8")
        assert committed == schema_text(model_class), f"run `handbook schema` ({name})"


def test_every_content_file_references_an_existing_schema():
    for file in sorted(CONTENT.rglob("*.yml")):
        first = file.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), file
        schema = (file.parent / first.split("=", 1)[1]).resolve()
        assert schema.is_file(), (file, schema)


def test_schema_forbids_unknown_keys():
    schema = SCHEMAS["post"].model_json_schema()
    assert schema["additionalProperties"] is False
