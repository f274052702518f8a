"""Values crossing between the candidate process and the test process, as JSON-safe data.

Plain JSON carries None, bools, ints, floats, strings and lists; everything else is a tagged object
{"$": tag, "v": ...}: tuples, dicts (as key/value pairs, so keys keep their types), sets, bytes,
complex numbers, big integers (hex), non-finite floats. An object that is not data (a function, a
class, an instance with its own __eq__) crosses as an opaque reference {"$": "ref", "v": id}: the
test process can call it or read it through the candidate process, but never compares it by
anything but identity. Subclasses of data types cross as their base type, so an overridden __eq__
never reaches the test process.
"""
import base64
import json

SMALL_INT = 1 << 62


class ProtocolError(BaseException):
    """The other process stopped answering, answered too much, or broke protocol. A BaseException,
    so tests that catch Exception around a call cannot swallow it."""


def _encode_float(value):
    if value != value:
        return {"$": "float", "v": "nan"}
    if value in (float("inf"), float("-inf")):
        return {"$": "float", "v": "inf" if value > 0 else "-inf"}
    return float(value)


def _encode_int(value):
    value = int.__index__(value)
    if -SMALL_INT < value < SMALL_INT:
        return value
    return {"$": "int", "v": hex(value)}


def encode(value, refer):
    """`refer(obj)` turns a non-data object into its reference (or raises, when it cannot cross)."""
    kind = type(value)
    if value is None or kind is bool or kind is str:
        return value
    if kind is int:
        return _encode_int(value)
    if kind is float:
        return _encode_float(value)
    if kind is list:
        return [encode(item, refer) for item in value]
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return _encode_int(value)
    if isinstance(value, float):
        return _encode_float(float.__float__(value))
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, complex):
        return {"$": "complex", "v": [_encode_float(value.real), _encode_float(value.imag)]}
    if isinstance(value, (bytes, bytearray)):
        tag = "bytearray" if isinstance(value, bytearray) else "bytes"
        return {"$": tag, "v": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, tuple):
        return {"$": "tuple", "v": [encode(item, refer) for item in tuple.__iter__(value)]}
    if isinstance(value, list):
        return [encode(item, refer) for item in list.__iter__(value)]
    if isinstance(value, dict):
        return {"$": "dict", "v": [[encode(k, refer), encode(v, refer)] for k, v in dict.items(value)]}
    if isinstance(value, frozenset):
        return {"$": "frozenset", "v": [encode(item, refer) for item in frozenset.__iter__(value)]}
    if isinstance(value, set):
        return {"$": "set", "v": [encode(item, refer) for item in set.__iter__(value)]}
    return refer(value)


def _decode_float(text):
    if text not in ("nan", "inf", "-inf"):
        raise ValueError(f"bad float {text!r}")
    return float(text)


def decode(data, resolve):
    """`resolve(tagged)` turns a {"$": "ref"} (or another tag this side knows) into an object."""
    kind = type(data)
    if data is None or kind in (bool, int, float, str):
        return data
    if kind is list:
        return [decode(item, resolve) for item in data]
    if kind is not dict:
        raise ValueError(f"not a wire value: {kind.__name__}")
    tag = data.get("$")
    body = data.get("v")
    if tag == "tuple":
        return tuple(decode(item, resolve) for item in body)
    if tag == "dict":
        return {decode(k, resolve): decode(v, resolve) for k, v in body}
    if tag == "set":
        return {decode(item, resolve) for item in body}
    if tag == "frozenset":
        return frozenset(decode(item, resolve) for item in body)
    if tag == "int":
        return int(body, 16)
    if tag == "float":
        return _decode_float(body)
    if tag == "complex":
        real, imag = (decode(part, resolve) for part in body)
        return complex(float(real), float(imag))
    if tag == "bytes":
        return base64.b64decode(body, validate=True)
    if tag == "bytearray":
        return bytearray(base64.b64decode(body, validate=True))
    return resolve(data)


def dumps(message):
    """One protocol line; json escapes every control character, so it never holds a raw newline."""
    return (json.dumps(message, separators=(",", ":")) + "\n").encode("utf-8", "surrogatepass")


def loads(line):
    return json.loads(line.decode("utf-8", "surrogatepass"))
