"""JSON columns are decoded with orjson (issue 16): the pages read JSON columns on every
request (progress summaries, module content), and orjson decodes them several times
faster than the standard library, to the same Python values."""
import json

import orjson


def loads(text: str | bytes):
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        # json.dumps also writes NaN, Infinity and integers beyond 64 bits, which orjson refuses
        return json.loads(text)
