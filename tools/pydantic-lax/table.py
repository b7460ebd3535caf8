"""Writes the lax-scalar truth table: what pydantic 2 (lax mode, validate_python — how FastAPI
validates a parsed JSON body) makes of each input. `libs/domain/src/lax-scalars.spec.ts` checks
Orrery's parsers against every row. Run: python3 tools/pydantic-lax/table.py > libs/domain/src/lax-scalars.table.json && npx prettier --write libs/domain/src/lax-scalars.table.json
"""
import datetime
import enum
import json
import uuid

import pydantic
from pydantic import TypeAdapter, ValidationError

UTC = datetime.timezone.utc


class StateType(str, enum.Enum):
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"


INPUTS = {
    "datetime": [
        "2024-01-02T03:04:05Z", "2024-01-02 03:04:05", "2024-01-02T03:04:05+05:30",
        "2024-01-02T03:04:05.123456789Z", "2024-01-02", "2024-01-02T03:04", "2024-01-02T03:04:05-0800",
        "2024-01-02t03:04:05z", "2024-01-02T03:04:05,5Z", "2024-01-02T03:04:05.123+00:00",
        1796592552.126133, 1796592552, 1796592552126, 1796592552126.5, "1796592552", "1796592552.5",
        "1796592552126", 2e10, 20000000001, -1, 0, -20000000001,
        "", "tomorrow", True, False, None, [], {}, "2024-13-01T00:00:00Z", "2024-02-30T00:00:00Z",
        "2024-01-02T24:00:00Z", "2024-01-02T03:04:05+24:00", " 2024-01-02T03:04:05Z",
        "2024-01-02T03:04:05.Z", "20240102T030405Z", "2024-01-02T03:04:05 Z", "2024-01-02T03:04:05+05",
        "2024-01-02T03:04:60Z", "1e9", "  1796592552", "0x10", 1e20, "2024-1-2",
    ],
    "duration": [
        1.5, 3600, 0, -5, True, "PT1H", "P1D", "P1DT2H3M4.5S", "-PT1H", "PT0.5S", "P1W", "P1.5D",
        "PT1H30M", "01:02:03", "01:02:03.123456", "-01:02:03", "02:03", "1:02:03", "100:00:00",
        "1 day, 01:02:03", "1 days, 01:02:03", "3 days", "1d", "3600", "1.5", "PT-1H",
        "1 01:02:03", "1:2:3", "", "abc", None, [], 1e20,
    ],
    "uuid": [
        "0190aa3c-7d4f-7e3a-9b1c-123456789abc", "0190AA3C-7D4F-7E3A-9B1C-123456789ABC",
        "{0190aa3c-7d4f-7e3a-9b1c-123456789abc}", "0190aa3c7d4f7e3a9b1c123456789abc",
        "0190AA3C7D4F7E3A9B1C123456789ABC", "urn:uuid:0190aa3c-7d4f-7e3a-9b1c-123456789abc",
        "00000000-0000-0000-0000-000000000000", "URN:UUID:0190aa3c-7d4f-7e3a-9b1c-123456789abc",
        "0190aa3c-7d4f7e3a-9b1c-123456789abc", "0190aa3c-7d4f-7e3a-9b1c-123456789ab",
        "0190aa3c-7d4f-7e3a-9b1c-123456789abcd", "{0190aa3c7d4f7e3a9b1c123456789abc}",
        " 0190aa3c-7d4f-7e3a-9b1c-123456789abc", "0190aa3c-7d4f-7e3a-9b1c-123456789abg",
        "not-a-uuid", "", 123, None, True,
    ],
    "bool": [
        True, False, "true", "True", "TRUE", "tRuE", "1", "yes", "YES", "on", "t", "y", "Y",
        "false", "False", "0", "no", "off", "OFF", "f", "n", 1, 0, 1.0, 0.0,
        2, -1, 1.5, "2", "", "maybe", " true", None, [],
    ],
    "int": [
        1, -3, 1.0, -3.0, "1", " 1", "1 ", "1.0", "1.00", "-7", "+7", "01", "-0", "1_000", True, False,
        1.5, "1.5", "1e3", "1.", "", "abc", "0x10", None, [], 1e20,
    ],
    "float": [1, 1.5, -2.25, "1.5", "1e3", " 1.5", "-0.5", "1_0", True, "", "abc", None, []],
    "enum": ["COMPLETED", "FAILED", "completed", "Completed", "X", 1, None],
}

TYPES = {
    "datetime": datetime.datetime,
    "duration": datetime.timedelta,
    "uuid": uuid.UUID,
    "bool": bool,
    "int": int,
    "float": float,
    "enum": StateType,
}


def normalise(value):
    if isinstance(value, datetime.datetime):
        # Naive values are UTC for Prefect (its DateTime type coerces them).
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, datetime.timedelta):
        return value // datetime.timedelta(microseconds=1)  # integer microseconds
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    return value


rows = []
for kind, inputs in INPUTS.items():
    adapter = TypeAdapter(TYPES[kind])
    for value in inputs:
        try:
            rows.append({"kind": kind, "input": value, "ok": True, "output": normalise(adapter.validate_python(value))})
        except ValidationError as error:
            first = error.errors()[0]
            rows.append({"kind": kind, "input": value, "ok": False, "type": first["type"]})

print(json.dumps({"pydantic": pydantic.VERSION, "mode": "lax, validate_python", "rows": rows}, indent=1))
