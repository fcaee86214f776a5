"""JSON columns are read with orjson, and what only the standard library reads still reads."""
import json

import sqlalchemy as sa

from course import fastjson
from course.extensions import db
from course.models import ProgressSummary


def test_the_same_values_as_the_standard_library():
    for value in ({"1": [2, "drie", None, True, 1.5]}, [], "tekst met é en 😀", {"a": {"b": [{}]}}):
        text = json.dumps(value)
        assert fastjson.loads(text) == json.loads(text)
        assert fastjson.loads(text.encode()) == value


def test_what_orjson_refuses_is_read_by_the_standard_library():
    text = json.dumps({"big": 2**70, "nan": float("nan"), "inf": float("inf")})
    value = fastjson.loads(text)
    assert value["big"] == 2**70 and value["inf"] == float("inf") and value["nan"] != value["nan"]


def test_the_engine_reads_json_columns_with_it(app):
    with app.app_context():
        assert db.engine.dialect._json_deserializer is fastjson.loads
        column = ProgressSummary.__table__.c.cells
        assert isinstance(column.type, sa.JSON)
