"""A small, dependency-light Parquet reader for the files sparkcae writes (Spark 3.5, parquet-mr).

pyarrow or pandas read these files in one call where they are installed; this module exists for machines
that have only Python and numpy (Debian packages no pyarrow). It reads what Spark writes by default:
data page v1 and v2, PLAIN and dictionary encodings, RLE/bit-packed levels, uncompressed, gzip or snappy
pages (snappy through the python-snappy module: `apt-get install python3-snappy`), flat columns and
one-level lists (array<int>, array<float>). Anything else fails with a message naming what is missing.

    from parquet_lite import read_dir
    cols = read_dir("runs/r1/encode/v1.0b4e9f13/latents", columns=["id", "z"])   # {"id": [...], "z": [...]}
"""

import pathlib
import struct
import zlib

import numpy as np

# Parquet's enums (parquet.thrift)
_BOOLEAN, _INT32, _INT64, _INT96, _FLOAT, _DOUBLE, _BYTE_ARRAY, _FIXED = range(8)
_REQUIRED, _OPTIONAL, _REPEATED = range(3)
_DATA_PAGE, _INDEX_PAGE, _DICTIONARY_PAGE, _DATA_PAGE_V2 = range(4)
_PLAIN, _PLAIN_DICTIONARY, _RLE, _RLE_DICTIONARY = 0, 2, 3, 8
_UNCOMPRESSED, _SNAPPY, _GZIP = 0, 1, 2
_UTF8 = 0  # ConvertedType


class ParquetError(Exception):
    pass


# --- Thrift compact protocol (the footer and page headers), decoded into {field id: value} ---------------

class _Thrift:
    def __init__(self, buf, pos=0):
        self.buf = buf
        self.pos = pos

    def _byte(self):
        b = self.buf[self.pos]
        self.pos += 1
        return b

    def varint(self):
        shift = result = 0
        while True:
            b = self._byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7

    def zigzag(self):
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def _value(self, ctype):
        if ctype in (1, 2):  # booleans inside a list or map
            return ctype == 1
        if ctype == 3:
            return struct.unpack_from("<b", self.buf, self._skip(1))[0]
        if ctype in (4, 5, 6):  # i16, i32, i64
            return self.zigzag()
        if ctype == 7:
            return struct.unpack_from("<d", self.buf, self._skip(8))[0]
        if ctype == 8:  # binary / string
            n = self.varint()
            return bytes(self.buf[self._skip(n):self.pos])
        if ctype in (9, 10):  # list, set
            head = self._byte()
            size = head >> 4
            if size == 15:
                size = self.varint()
            return [self._list_item(head & 0x0F) for _ in range(size)]
        if ctype == 11:  # map: not used by the fields read here, but must be skipped correctly
            size = self.varint()
            if size == 0:
                return {}
            kv = self._byte()
            return {self._value(kv >> 4): self._value(kv & 0x0F) for _ in range(size)}
        if ctype == 12:
            return self.struct()
        raise ParquetError("unknown thrift compact type %d" % ctype)

    def _list_item(self, ctype):
        if ctype in (1, 2):  # a boolean element is a whole byte in a list
            return self._byte() == 1
        return self._value(ctype)

    def _skip(self, n):
        start = self.pos
        self.pos += n
        return start

    def struct(self):
        fields = {}
        last = 0
        while True:
            head = self._byte()
            if head == 0:
                return fields
            delta = head >> 4
            fid = last + delta if delta else self.zigzag()
            ctype = head & 0x0F
            fields[fid] = ctype == 1 if ctype in (1, 2) else self._value(ctype)
            last = fid


# --- pages ------------------------------------------------------------------------------------------------

def _decompress(codec, data, size):
    if codec == _UNCOMPRESSED:
        return data
    if codec == _GZIP:
        return zlib.decompress(data, 16 + zlib.MAX_WBITS)
    if codec == _SNAPPY:
        try:
            import snappy
        except ImportError:
            raise ParquetError("snappy-compressed Parquet needs python-snappy: apt-get install python3-snappy "
                               "(or pip install python-snappy)") from None
        out = snappy.uncompress(bytes(data)) if hasattr(snappy, "uncompress") else snappy.decompress(bytes(data))
        if len(out) != size:
            raise ParquetError("snappy page decompressed to %d bytes, header says %d" % (len(out), size))
        return out
    raise ParquetError("page codec %d is not supported here (uncompressed, gzip and snappy are)" % codec)


def _hybrid(buf, pos, end, bit_width, count):
    """RLE / bit-packing hybrid runs from buf[pos:end]: `count` unsigned ints."""
    out = np.empty(count, dtype=np.int64)
    n = 0
    byte_width = (bit_width + 7) // 8
    while n < count and pos < end:
        t = _Thrift(buf, pos)
        header = t.varint()
        pos = t.pos
        if header & 1:  # bit-packed: groups of 8 values, least significant bit first
            groups = header >> 1
            nbytes = groups * bit_width
            bits = np.unpackbits(np.frombuffer(buf, dtype=np.uint8, count=nbytes, offset=pos), bitorder="little")
            vals = bits.reshape(-1, bit_width) if bit_width else np.zeros((groups * 8, 0), dtype=np.uint8)
            vals = (vals.astype(np.int64) << np.arange(bit_width, dtype=np.int64)).sum(axis=1)
            take = min(groups * 8, count - n)
            out[n:n + take] = vals[:take]
            n += take
            pos += nbytes
        else:  # a run of one repeated value
            run = header >> 1
            value = int.from_bytes(bytes(buf[pos:pos + byte_width]), "little")
            pos += byte_width
            take = min(run, count - n)
            out[n:n + take] = value
            n += take
    if n < count:
        raise ParquetError("levels or indices ran out: %d of %d" % (n, count))
    return out


def _plain(ptype, buf, pos, count, type_length):
    if ptype == _INT32:
        return np.frombuffer(buf, dtype="<i4", count=count, offset=pos)
    if ptype == _INT64:
        return np.frombuffer(buf, dtype="<i8", count=count, offset=pos)
    if ptype == _FLOAT:
        return np.frombuffer(buf, dtype="<f4", count=count, offset=pos)
    if ptype == _DOUBLE:
        return np.frombuffer(buf, dtype="<f8", count=count, offset=pos)
    if ptype == _BOOLEAN:
        return np.unpackbits(np.frombuffer(buf, dtype=np.uint8, count=(count + 7) // 8, offset=pos),
                             bitorder="little")[:count].astype(bool)
    if ptype == _BYTE_ARRAY:
        out = []
        for _ in range(count):
            n = struct.unpack_from("<i", buf, pos)[0]
            out.append(bytes(buf[pos + 4:pos + 4 + n]))
            pos += 4 + n
        return out
    if ptype == _FIXED:
        return [bytes(buf[pos + i * type_length:pos + (i + 1) * type_length]) for i in range(count)]
    raise ParquetError("physical type %d is not supported here" % ptype)


def _bit_width(max_level):
    return max_level.bit_length()


def _levels_v1(buf, pos, max_level, count):
    if max_level == 0:
        return np.zeros(count, dtype=np.int64), pos
    n = struct.unpack_from("<i", buf, pos)[0]
    return _hybrid(buf, pos + 4, pos + 4 + n, _bit_width(max_level), count), pos + 4 + n


def _values(encoding, ptype, buf, pos, end, count, dictionary, type_length):
    if encoding == _PLAIN:
        return _plain(ptype, buf, pos, count, type_length)
    if encoding in (_PLAIN_DICTIONARY, _RLE_DICTIONARY):
        if dictionary is None:
            raise ParquetError("dictionary-encoded page without a dictionary page")
        idx = _hybrid(buf, pos + 1, end, buf[pos], count)
        if isinstance(dictionary, list):
            return [dictionary[i] for i in idx]
        return dictionary[idx]
    if encoding == _RLE and ptype == _BOOLEAN:
        n = struct.unpack_from("<i", buf, pos)[0]
        return _hybrid(buf, pos + 4, pos + 4 + n, 1, count).astype(bool)
    raise ParquetError("value encoding %d is not supported here" % encoding)


def _read_chunk(data, meta, leaf):
    """(repetition levels, definition levels, values of the defined entries) of one column chunk."""
    codec = meta[4]
    total = meta[5]
    pos = meta[9]
    if meta.get(11):  # the dictionary page comes first when there is one
        pos = min(pos, meta[11])
    end = pos + meta[7]
    dictionary = None
    reps, defs, vals = [], [], []
    read = 0
    while read < total and pos < end:
        t = _Thrift(data, pos)
        header = t.struct()
        body = data[t.pos:t.pos + header[3]]
        pos = t.pos + header[3]
        ptype = header[1]
        if ptype == _DICTIONARY_PAGE:
            page = _decompress(codec, body, header[2])
            dictionary = _plain(leaf["type"], page, 0, header[7][1], leaf["type_length"])
        elif ptype == _DATA_PAGE:
            h = header[5]
            count = h[1]
            page = _decompress(codec, body, header[2])
            r, p = _levels_v1(page, 0, leaf["max_rep"], count)
            d, p = _levels_v1(page, p, leaf["max_def"], count)
            present = int((d == leaf["max_def"]).sum())
            reps.append(r)
            defs.append(d)
            vals.append(_values(h[2], leaf["type"], page, p, len(page), present, dictionary, leaf["type_length"]))
            read += count
        elif ptype == _DATA_PAGE_V2:
            h = header[8]
            count, rep_len, def_len = h[1], h[6], h[5]
            r = (_hybrid(body, 0, rep_len, _bit_width(leaf["max_rep"]), count) if leaf["max_rep"]
                 else np.zeros(count, dtype=np.int64))
            d = (_hybrid(body, rep_len, rep_len + def_len, _bit_width(leaf["max_def"]), count) if leaf["max_def"]
                 else np.zeros(count, dtype=np.int64))
            rest = body[rep_len + def_len:]
            if h.get(7, True):
                rest = _decompress(codec, rest, header[2] - rep_len - def_len)
            present = int((d == leaf["max_def"]).sum())
            reps.append(r)
            defs.append(d)
            vals.append(_values(h[4], leaf["type"], rest, 0, len(rest), present, dictionary, leaf["type_length"]))
            read += count
    flat = []
    for v in vals:
        flat.extend(v.tolist() if isinstance(v, np.ndarray) else v)
    return (np.concatenate(reps) if reps else np.zeros(0, np.int64),
            np.concatenate(defs) if defs else np.zeros(0, np.int64), flat)


def _assemble(leaf, reps, defs, vals):
    """Rows of one leaf column: scalars (None when null) or, for a one-level list, Python lists."""
    convert = (lambda b: b.decode("utf-8")) if leaf["utf8"] else (lambda v: v)
    max_def = leaf["max_def"]
    it = iter(vals)
    if leaf["max_rep"] == 0:
        return [convert(next(it)) if d == max_def else None for d in defs]
    if leaf["max_rep"] > 1:
        raise ParquetError("column %s: nested lists are not supported here" % ".".join(leaf["path"]))
    list_def = leaf["list_def"]  # definition level of "the list holds an element"
    rows = []
    for r, d in zip(reps, defs):
        if r == 0:
            rows.append(None if d < list_def - 1 else [])
        if d >= list_def:
            rows[-1].append(convert(next(it)) if d == max_def else None)
    return rows


def _leaves(schema):
    """Walks the flattened schema list: each leaf with its path, type and maximum levels."""
    leaves = []

    def walk(i, path, max_def, max_rep, list_def):
        el = schema[i]
        rep = el.get(3, _REQUIRED)
        if i > 0:
            path = path + [el[4].decode()]
            if rep != _REQUIRED:
                max_def += 1
            if rep == _REPEATED:
                max_rep += 1
                list_def = max_def
        i += 1
        children = el.get(5, 0)
        if children == 0 and len(path) > 0:
            leaves.append({"path": path, "type": el[1], "type_length": el.get(2, 0), "max_def": max_def,
                           "max_rep": max_rep, "list_def": list_def,
                           "utf8": el.get(6) == _UTF8 or 1 in el.get(10, {})})
            return i
        for _ in range(children):
            i = walk(i, path, max_def, max_rep, list_def)
        return i

    walk(0, [], 0, 0, 0)
    return leaves


def read_file(path, columns=None):
    """The columns of one Parquet file as {top-level column name: list of rows}."""
    data = pathlib.Path(path).read_bytes()
    if data[:4] != b"PAR1" or data[-4:] != b"PAR1":
        raise ParquetError("%s: not a Parquet file" % path)
    footer_len = struct.unpack_from("<i", data, len(data) - 8)[0]
    meta = _Thrift(data, len(data) - 8 - footer_len).struct()
    leaves = _leaves(meta[2])
    wanted = [lf for lf in leaves if columns is None or lf["path"][0] in columns]
    out = {lf["path"][0]: [] for lf in wanted}
    buf = memoryview(data)
    for group in meta.get(4, []):
        by_path = {tuple(p.decode() for p in c[3][3]): c[3] for c in group[1]}
        for lf in wanted:
            chunk = by_path[tuple(lf["path"])]
            out[lf["path"][0]].extend(_assemble(lf, *_read_chunk(buf, chunk, lf)))
    if columns is not None:
        missing = [c for c in columns if c not in out]
        if missing:
            raise ParquetError("%s: no column %s; it has %s" % (path, missing, sorted({lf["path"][0] for lf in leaves})))
    return out


def read_dir(directory, columns=None):
    """Every part-*.parquet file of a Spark output directory, concatenated in file-name order."""
    files = sorted(pathlib.Path(directory).glob("part-*.parquet"))
    if not files:
        raise ParquetError("%s: no part-*.parquet files" % directory)
    out = None
    for f in files:
        part = read_file(f, columns)
        if out is None:
            out = part
        else:
            for k, v in part.items():
                out[k].extend(v)
    return out
