"""Interop oracle for the C# Avro tests: Apache Avro's Python implementation (Debian's python3-avro) encodes,
decodes and canonicalises what the tests send, so both implementations are checked against each other.

Reads one JSON request on stdin and writes one JSON response on stdout:
  {"command": "decode", "schema": "<schema json>", "bodies": ["<hex>", ...]}  -> {"values": [<rendering>, ...]}
  {"command": "encode", "schema": "<schema json>", "values": [<rendering>, ...]} -> {"bodies": ["<hex>", ...]}
  {"command": "compatibility", "pairs": [{"reader": "<json>", "writer": "<json>"}, ...]}
      -> {"results": [{"compatible": bool, "locations": [...], "messages": [...]}, ...]}
  {"command": "consume", "registry": "<url>", "messages": ["<hex of a Confluent-framed message>", ...]}
      -> {"values": [<rendering>, ...]}   (each schema fetched by id from the registry over HTTP, as a consumer does)
  {"command": "canonical", "schemas": [{"schema": "<json>", "ours": "<C# canonical form>"}, ...]}
      -> {"avro_version": ..., "has_fingerprint_api": bool,
          "results": [{"canonical": ..., "fingerprint": ..., "ours_reparsed": ..., "ours_fingerprint": ...}, ...]}

Renderings are JSON with these conventions (the C# side uses the same ones): bytes and fixed as hex; float and
double as the hex of their big-endian IEEE bits (exact, NaN and infinities included); decimals as plain strings
with exactly the schema's scale digits; date, time and timestamp logical types as their encoded integers; unions as
null or {"<branch name>": value} with the full name for named types and the type name otherwise.
"""
import datetime
import decimal
import io
import json
import struct
import sys
import urllib.request
import warnings

import avro
import avro.compatibility
import avro.io
import avro.schema

warnings.simplefilter("ignore")  # unknown logical types (local-timestamp-*) warn in 1.11; they are plain longs

EPOCH_DATE = datetime.date(1970, 1, 1)
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
MICRO = datetime.timedelta(microseconds=1)


def branch_name(schema):
    return schema.fullname if isinstance(schema, avro.schema.NamedSchema) else schema.type


def micros_of(delta):
    return (delta.days * 86400 + delta.seconds) * 1000000 + delta.microseconds


def time_of(micros):
    seconds, micro = divmod(micros, 1000000)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return datetime.time(hour, minute, second, micro)


def to_python(schema, value):
    """From the JSON rendering to what avro.io.DatumWriter expects."""
    logical = getattr(schema, "logical_type", None)
    t = schema.type
    if isinstance(schema, avro.schema.UnionSchema):
        if value is None:
            return None
        (name, inner), = value.items()
        for branch in schema.schemas:
            if branch_name(branch) == name:
                return to_python(branch, inner)
        raise ValueError(f"no union branch {name}")
    if logical == "decimal":
        return decimal.Decimal(value)
    if logical == "date":
        return EPOCH_DATE + datetime.timedelta(days=value)
    if logical == "time-millis":
        return time_of(value * 1000)
    if logical == "time-micros":
        return time_of(value)
    if logical == "timestamp-millis":
        return EPOCH + value * 1000 * MICRO
    if logical == "timestamp-micros":
        return EPOCH + value * MICRO
    if t == "float":
        return struct.unpack(">f", bytes.fromhex(value))[0]
    if t == "double":
        return struct.unpack(">d", bytes.fromhex(value))[0]
    if t in ("bytes", "fixed"):
        return bytes.fromhex(value)
    if t == "record":
        return {f.name: to_python(f.type, value[f.name]) for f in schema.fields}
    if t == "array":
        return [to_python(schema.items, v) for v in value]
    if t == "map":
        return {k: to_python(schema.values, v) for k, v in value.items()}
    return value


def render(schema, datum):
    """From what avro.io.DatumReader returns to the JSON rendering."""
    logical = getattr(schema, "logical_type", None)
    t = schema.type
    if isinstance(schema, avro.schema.UnionSchema):
        if datum is None:
            return None
        for branch in schema.schemas:
            if branch.type != "null" and avro.io.validate(branch, datum):
                return {branch_name(branch): render(branch, datum)}
        raise ValueError(f"no union branch validates {datum!r}")
    if logical == "decimal":
        return format(datum, "f")
    if logical == "date":
        return (datum - EPOCH_DATE).days
    if logical in ("time-millis", "time-micros"):
        micros = ((datum.hour * 60 + datum.minute) * 60 + datum.second) * 1000000 + datum.microsecond
        return micros // 1000 if logical == "time-millis" else micros
    if logical == "timestamp-millis":
        return micros_of(datum - EPOCH) // 1000
    if logical == "timestamp-micros":
        return micros_of(datum - EPOCH)
    if t == "float":
        return struct.pack(">f", datum).hex()
    if t == "double":
        return struct.pack(">d", datum).hex()
    if t in ("bytes", "fixed"):
        return datum.hex()
    if t == "record":
        return {f.name: render(f.type, datum[f.name]) for f in schema.fields}
    if t == "array":
        return [render(schema.items, v) for v in datum]
    if t == "map":
        return {k: render(schema.values, v) for k, v in datum.items()}
    return datum


def crc64_avro(data):
    """CRC-64-AVRO per the specification's "Schema Fingerprints" section, as a signed 64-bit value like Java's."""
    empty = 0xC15D213AA4D7A795
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (empty & -(fp & 1))
        table.append(fp)
    fp = empty
    for b in data:
        fp = (fp >> 8) ^ table[(fp ^ b) & 0xFF]
    return fp - (1 << 64) if fp >= (1 << 63) else fp


def decode(request):
    schema = avro.schema.parse(request["schema"])
    reader = avro.io.DatumReader(schema)
    values = []
    for body in request["bodies"]:
        data = bytes.fromhex(body)
        stream = io.BytesIO(data)
        datum = reader.read(avro.io.BinaryDecoder(stream))
        if stream.tell() != len(data):
            raise ValueError(f"{len(data) - stream.tell()} bytes left after the datum")
        values.append(render(schema, datum))
    return {"values": values}


def consume(request):
    """Decodes Confluent wire-format messages as any Python consumer would: schema by id from the registry, then
    avro.io.DatumReader with its logical-type conversions."""
    registry = request["registry"].rstrip("/")
    schemas = {}
    values = []
    for message in request["messages"]:
        data = bytes.fromhex(message)
        if len(data) < 5 or data[0] != 0:
            raise ValueError(f"not a Confluent wire-format message: {message[:20]}")
        schema_id = struct.unpack(">i", data[1:5])[0]
        if schema_id not in schemas:
            with urllib.request.urlopen(f"{registry}/schemas/ids/{schema_id}", timeout=30) as response:
                schemas[schema_id] = avro.schema.parse(json.load(response)["schema"])
        schema = schemas[schema_id]
        stream = io.BytesIO(data[5:])
        datum = avro.io.DatumReader(schema).read(avro.io.BinaryDecoder(stream))
        if stream.tell() != len(data) - 5:
            raise ValueError(f"{len(data) - 5 - stream.tell()} bytes left after the datum of schema {schema_id}")
        values.append(render(schema, datum))
    return {"values": values}


def encode(request):
    schema = avro.schema.parse(request["schema"])
    writer = avro.io.DatumWriter(schema)
    bodies = []
    for value in request["values"]:
        stream = io.BytesIO()
        writer.write(to_python(schema, value), avro.io.BinaryEncoder(stream))
        bodies.append(stream.getvalue().hex())
    return {"bodies": bodies}


def canonical(request):
    results = []
    has_fingerprint_api = False
    for item in request["schemas"]:
        parsed = avro.schema.parse(item["schema"])
        has_fingerprint_api = has_fingerprint_api or hasattr(parsed, "fingerprint")
        form = parsed.canonical_form
        ours = item["ours"]
        results.append({
            "canonical": form,
            "fingerprint": crc64_avro(form.encode("utf-8")),
            "ours_reparsed": avro.schema.parse(ours).canonical_form,
            "ours_fingerprint": crc64_avro(ours.encode("utf-8")),
        })
    version = getattr(avro, "__version__", "unknown")
    return {"avro_version": version, "has_fingerprint_api": has_fingerprint_api, "results": results}


def compatibility(request):
    results = []
    for pair in request["pairs"]:
        reader = avro.schema.parse(pair["reader"])
        writer = avro.schema.parse(pair["writer"])
        result = avro.compatibility.ReaderWriterCompatibilityChecker().get_compatibility(reader, writer)
        results.append({
            "compatible": result.compatibility is avro.compatibility.SchemaCompatibilityType.compatible,
            "locations": sorted(result.locations),
            "messages": sorted(result.messages),
        })
    return {"results": results}


def main():
    request = json.load(sys.stdin)
    handler = {"decode": decode, "consume": consume, "encode": encode, "compatibility": compatibility, "canonical": canonical}[request["command"]]
    json.dump(handler(request), sys.stdout, ensure_ascii=True, allow_nan=False)


if __name__ == "__main__":
    decimal.getcontext().prec = 5000  # decimal.Decimal(str) is exact anyway; keep arithmetic from rounding
    main()
