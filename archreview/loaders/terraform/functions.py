"""Terraform's built-in functions, as far as they can be computed before deploy.

Each function receives evaluated arguments. An argument that is itself unknown (an
Unknown, or a Ref to a value known only after apply) makes the result Unknown unless the
function can do better (`length` of a list whose items are unknown, `concat`, `merge`,
`join` keeping `${...}` placeholders...). Functions that read files only read inside the
scanned tree (see `Module.read_file`). Functions of time or randomness are Unknown.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import math
import re
from typing import Any, Callable

from archreview.model import Unknown
from archreview.loaders import budget as budgets
from archreview.loaders.terraform.expr import (MAX_ITEMS, equal, key_str, norm_num, template_str, to_bool,
                                               to_int, to_number)
from archreview.loaders.terraform.values import (EvalError, LazyObject, ResourceGroup, contains_unknown, is_unknownish)

MAX_WIDTH = 10_000
REGEX_INPUT = 100_000


def _regex(pattern: str, text: str) -> Any:
    """A compiled pattern that cannot hang: `regex` with a timeout when installed (Terraform's
    RE2 is linear; Python's `re` is not), else `re` on bounded input."""
    if len(text) > REGEX_INPUT or len(pattern) > 1000:
        raise _Unk("regex input too large")
    try:
        import regex
    except ImportError:
        if re.search(r"\)[*+]|[*+]\)?[*+{]", pattern):
            raise _Unk("pattern may backtrack badly") from None
        try:
            return re.compile(pattern), {}
        except re.error as exc:
            raise EvalError(f"bad pattern: {exc}") from None
    try:
        return regex.compile(pattern), {"timeout": 0.2}
    except regex.error as exc:
        raise EvalError(f"bad pattern: {exc}") from None


class _Unk(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason


def _known(*values: Any) -> None:
    for v in values:
        if contains_unknown(v):
            raise _Unk("argument not known")


def _plain(v: Any) -> Any:
    if isinstance(v, ResourceGroup):
        return v.collection()
    if isinstance(v, LazyObject):
        return v.as_dict()
    return v


def _list(v: Any, what: str = "list") -> list[Any]:
    v = _plain(v)
    if isinstance(v, list):
        return v
    if is_unknownish(v):
        raise _Unk(f"{what} not known")
    if isinstance(v, dict):
        raise EvalError(f"a map is not a {what}")
    if v is None:
        raise EvalError(f"null is not a {what}")
    raise EvalError(f"not a {what}")


def _map(v: Any) -> dict[str, Any]:
    v = _plain(v)
    if isinstance(v, dict):
        return v
    if is_unknownish(v):
        raise _Unk("map not known")
    raise EvalError("not a map")


def _str(v: Any) -> str:
    v = _plain(v)
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(norm_num(v))
    if is_unknownish(v):
        raise _Unk("string not known")
    if v is None:
        raise EvalError("null is not a string")
    raise EvalError("not a string")


def _int(v: Any) -> int:
    if is_unknownish(v):
        raise _Unk("number not known")
    n = to_number(v)
    if isinstance(n, Unknown):
        raise _Unk("number not known")
    return to_int(n, "number")


def _num(v: Any) -> Any:
    if is_unknownish(v):
        raise _Unk("number not known")
    n = to_number(v)
    if isinstance(n, Unknown):
        raise _Unk("number not known")
    return n


def _set(items: list[Any]) -> list[Any]:
    _known(items)
    out: list[Any] = []
    for i in items:
        if not any(equal(i, o) for o in out):
            out.append(i)
    if all(isinstance(i, str) for i in out):
        out.sort()
    return out


# ---- network -----------------------------------------------------------------------------

def f_cidrsubnet(prefix: Any, newbits: Any, netnum: Any) -> str:
    net = ipaddress.ip_network(_str(prefix), strict=False)
    nb, num = _int(newbits), _int(netnum)
    new_prefix = net.prefixlen + nb
    if nb < 0 or new_prefix > net.max_prefixlen or num < 0 or num >= 2 ** nb:
        raise EvalError("cidrsubnet: not enough bits")
    base = int(net.network_address) + (num << (net.max_prefixlen - new_prefix))
    return str(ipaddress.ip_network((base, new_prefix)))


def f_cidrsubnets(prefix: Any, *newbits: Any) -> list[str]:
    net = ipaddress.ip_network(_str(prefix), strict=False)
    out = []
    cur = int(net.network_address)
    for nb in newbits:
        plen = net.prefixlen + _int(nb)
        if plen > net.max_prefixlen:
            raise EvalError("cidrsubnets: not enough bits")
        size = 1 << (net.max_prefixlen - plen)
        cur = (cur + size - 1) // size * size
        out.append(str(ipaddress.ip_network((cur, plen))))
        cur += size
    return out


def f_cidrhost(prefix: Any, hostnum: Any) -> str:
    net = ipaddress.ip_network(_str(prefix), strict=False)
    n = _int(hostnum)
    addr = (int(net.broadcast_address) + 1 + n) if n < 0 else int(net.network_address) + n
    return str(ipaddress.ip_address(addr))


def f_cidrnetmask(prefix: Any) -> str:
    return str(ipaddress.ip_network(_str(prefix), strict=False).netmask)


# ---- collections ---------------------------------------------------------------------------

def f_length(v: Any) -> int:
    v = _plain(v)
    if isinstance(v, (list, dict)):
        return len(v)
    if isinstance(v, str):
        return len(v)
    if is_unknownish(v):
        raise _Unk("length of an unknown value")
    raise EvalError("length of a non-collection")


def f_element(lst: Any, index: Any) -> Any:
    items = _list(lst)
    if not items:
        raise EvalError("element of an empty list")
    return items[_int(index) % len(items)]


def f_concat(*lists: Any) -> list[Any]:
    out: list[Any] = []
    for v in lists:
        out.extend(_list(v))
    return out


def f_merge(*maps: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in maps:
        if m is None:
            continue
        out.update(_map(m))
    return out


def f_lookup(m: Any, key: Any, *default: Any) -> Any:
    mp = _map(m)
    k = _str(key)
    if k in mp:
        return mp[k]
    if default:
        return default[0]
    raise EvalError(f"lookup: no key {k!r}")


def f_coalesce(*args: Any) -> Any:
    for a in args:
        if is_unknownish(a):
            raise _Unk("coalesce of an unknown value")
        if a is not None and a != "":
            return a
    raise EvalError("coalesce: no non-null argument")


def f_coalescelist(*args: Any) -> Any:
    for a in args:
        items = _list(a)
        if items:
            return items
    return []


def f_flatten(v: Any) -> list[Any]:
    out: list[Any] = []

    def walk(x: Any, depth: int) -> None:
        x = _plain(x)
        if depth > 50:
            raise EvalError("flatten: too deep")
        if isinstance(x, list):
            for i in x:
                walk(i, depth + 1)
        elif is_unknownish(x) and depth > 0:
            raise _Unk("flatten of an unknown item")
        else:
            out.append(x)

    walk(_list(v), 0)
    return out


def f_zipmap(keys: Any, values: Any) -> dict[str, Any]:
    ks, vs = _list(keys), _list(values)
    _known(ks)
    if len(ks) != len(vs):
        raise EvalError("zipmap: lengths differ")
    return {key_str(k): v for k, v in zip(ks, vs)}


def f_keys(m: Any) -> list[str]:
    return sorted(_map(m))


def f_values(m: Any) -> list[Any]:
    mp = _map(m)
    return [mp[k] for k in sorted(mp)]


def f_contains(lst: Any, value: Any) -> bool:
    items = _list(lst)
    _known(value)
    if any(equal(i, value) for i in items if not contains_unknown(i)):
        return True
    _known(items)
    return False


def f_distinct(lst: Any) -> list[Any]:
    items = _list(lst)
    _known(items)
    out: list[Any] = []
    for i in items:
        if not any(equal(i, o) for o in out):
            out.append(i)
    return out


def f_slice(lst: Any, start: Any, end: Any) -> list[Any]:
    items = _list(lst)
    s, e = _int(start), _int(end)
    if s < 0 or e > len(items) or s > e:
        raise EvalError("slice: index out of range")
    return items[s:e]


def f_compact(lst: Any) -> list[Any]:
    items = _list(lst)
    out = []
    for i in items:
        if is_unknownish(i):
            raise _Unk("compact of an unknown item")
        if i is not None and i != "":
            out.append(i)
    return out


def f_one(lst: Any) -> Any:
    items = _list(_plain(lst)) if not isinstance(_plain(lst), dict) else list(_plain(lst).values())
    if not items:
        return None
    if len(items) == 1:
        return items[0]
    raise EvalError("one: more than one element")


def f_sort(lst: Any) -> list[str]:
    items = _list(lst)
    _known(items)
    return sorted(_str(i) for i in items)


def f_reverse(lst: Any) -> list[Any]:
    return list(reversed(_list(lst)))


def f_range(*args: Any) -> list[Any]:
    nums = [_num(a) for a in args]
    if len(nums) == 1:
        start, end, step = 0, nums[0], 1
    elif len(nums) == 2:
        start, end, step = nums[0], nums[1], 1 if nums[1] >= nums[0] else -1
    elif len(nums) == 3:
        start, end, step = nums
    else:
        raise EvalError("range: wrong number of arguments")
    if step == 0:
        raise EvalError("range: step 0")
    out = []
    cur = start
    while (cur < end if step > 0 else cur > end):
        out.append(norm_num(cur))
        cur += step
        if len(out) > MAX_ITEMS:
            raise EvalError("range: too many elements")
    return out


def f_toset(v: Any) -> list[Any]:
    items = _list(v)
    if contains_unknown(items):
        return items
    return _set(items)


def f_tolist(v: Any) -> list[Any]:
    return _list(v)


def f_tomap(v: Any) -> dict[str, Any]:
    return _map(v)


def f_index(lst: Any, value: Any) -> int:
    items = _list(lst)
    _known(items, value)
    for i, item in enumerate(items):
        if equal(item, value):
            return i
    raise EvalError("index: not found")


def f_chunklist(lst: Any, size: Any) -> list[Any]:
    items = _list(lst)
    n = _int(size)
    if n <= 0:
        return [items]
    return [items[i:i + n] for i in range(0, len(items), n)]


def f_setunion(*sets: Any) -> list[Any]:
    out: list[Any] = []
    for s in sets:
        out.extend(_list(s))
    return _set(out)


def f_setintersection(first: Any, *rest: Any) -> list[Any]:
    out = _set(_list(first))
    for s in rest:
        other = _set(_list(s))
        out = [i for i in out if any(equal(i, o) for o in other)]
    return out


def f_setsubtract(a: Any, b: Any) -> list[Any]:
    other = _set(_list(b))
    return [i for i in _set(_list(a)) if not any(equal(i, o) for o in other)]


def f_setproduct(*sets: Any) -> list[Any]:
    out: list[list[Any]] = [[]]
    for s in sets:
        out = [o + [i] for o in out for i in _list(s)]
        if len(out) > MAX_ITEMS:
            raise EvalError("setproduct: too many elements")
    return out


def f_transpose(m: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, vs in _map(m).items():
        for v in _list(vs):
            out.setdefault(_str(v), []).append(k)
    return {k: sorted(v) for k, v in sorted(out.items())}


def f_matchkeys(values: Any, keys: Any, search: Any) -> list[Any]:
    vs, ks, ss = _list(values), _list(keys), _list(search)
    _known(ks, ss)
    return [v for v, k in zip(vs, ks) if any(equal(k, s) for s in ss)]


def f_alltrue(lst: Any) -> bool:
    items = _list(lst)
    _known(items)
    return all(to_bool(i) for i in items)


def f_anytrue(lst: Any) -> bool:
    items = _list(lst)
    _known(items)
    return any(to_bool(i) for i in items)


def f_sum(lst: Any) -> Any:
    return norm_num(sum(_num(i) for i in _list(lst)))


# ---- strings -------------------------------------------------------------------------------

_FMT = re.compile(r"%(?:\[(\d+)\])?([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])")


def f_format(spec: Any, *args: Any) -> str:
    fmt = _str(spec)
    pos = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal pos
        verb = m.group(5)
        if verb == "%":
            return "%"
        if m.group(1):
            pos = int(m.group(1)) - 1
        if pos >= len(args):
            raise EvalError("format: not enough arguments")
        v = args[pos]
        pos += 1
        if is_unknownish(v):
            return template_str(v, "unknown")
        flags, width, prec = m.group(2) or "", m.group(3), m.group(4)
        if verb in ("d",):
            s = str(_int(v))
        elif verb in ("f", "e", "g"):
            s = ("%" + ("." + prec if prec else "") + verb) % float(_num(v))
        elif verb == "q":
            s = json.dumps(_str(v))
        elif verb in ("x", "X", "o", "b"):
            n = _int(v)
            s = format(n, {"x": "x", "X": "X", "o": "o", "b": "b"}[verb])
        elif verb == "t":
            s = "true" if to_bool(v) else "false"
        elif verb == "v" and isinstance(v, (dict, list)):
            s = json.dumps(v)
        else:
            s = _str(v) if not isinstance(v, (dict, list)) else json.dumps(v)
            if prec:
                s = s[:int(prec)]
        if width:
            w = min(int(width), MAX_WIDTH)
            if "-" in flags:
                s = s.ljust(w)
            elif "0" in flags and verb in ("d", "f", "x", "X", "o", "b"):
                s = s.rjust(w, "0")
            else:
                s = s.rjust(w)
        return s

    return _FMT.sub(repl, fmt)


def f_formatlist(spec: Any, *args: Any) -> list[str]:
    lists = [_list(a) for a in args if isinstance(_plain(a), list)]
    n = len(lists[0]) if lists else 1
    out = []
    for i in range(n):
        row = [(_list(a)[i] if isinstance(_plain(a), list) else a) for a in args]
        out.append(f_format(spec, *row))
    return out


def f_join(sep: Any, *lists: Any) -> str:
    s = _str(sep)
    parts: list[str] = []
    for lst in lists:
        for item in _list(lst):
            if is_unknownish(item):
                parts.append(template_str(item, "unknown"))
            else:
                parts.append(_str(item))
    return s.join(parts)


def f_split(sep: Any, s: Any) -> list[str]:
    text = _str(s)
    if text == "":
        return []
    return text.split(_str(sep))


def f_replace(s: Any, old: Any, new: Any) -> str:
    text, o, n = _str(s), _str(old), _str(new)
    if len(o) > 1 and o.startswith("/") and o.endswith("/"):
        pat, kw = _regex(o[1:-1], text)
        try:
            return pat.sub(re.sub(r"\$\{?(\d+)\}?", r"\\g<\1>", n), text, **kw)
        except TimeoutError:
            raise _Unk("pattern too slow") from None
        except (re.error, IndexError) as exc:
            raise EvalError(f"replace: {exc}") from None
    return text.replace(o, n)


def f_substr(s: Any, offset: Any, length: Any) -> str:
    text = _str(s)
    o, n = _int(offset), _int(length)
    if o < 0:
        o = max(len(text) + o, 0)
    return text[o:] if n < 0 else text[o:o + n]


def f_trim(s: Any, chars: Any) -> str:
    return _str(s).strip(_str(chars))


def f_regex(pattern: Any, s: Any) -> Any:
    pat, kw = _regex(_str(pattern), _str(s))
    try:
        m = pat.search(_str(s), **kw)
    except TimeoutError:
        raise _Unk("pattern too slow") from None
    if not m:
        raise EvalError("regex: no match")
    if m.groupdict():
        return m.groupdict()
    if m.groups():
        return list(m.groups())
    return m.group(0)


def f_regexall(pattern: Any, s: Any) -> list[Any]:
    pat, kw = _regex(_str(pattern), _str(s))
    try:
        return [m.groups() and list(m.groups()) or m.group(0) for m in pat.finditer(_str(s), **kw)][:MAX_ITEMS]
    except TimeoutError:
        raise _Unk("pattern too slow") from None


def f_tostring(v: Any) -> Any:
    if v is None:
        return None
    return _str(v)


def f_tonumber(v: Any) -> Any:
    if v is None:
        return None
    return _num(v)


def f_tobool(v: Any) -> Any:
    if v is None:
        return None
    b = to_bool(v)
    if isinstance(b, Unknown):
        raise _Unk("bool not known")
    return b


def f_jsonencode(v: Any) -> Any:
    # Kept as data: a policy written with jsonencode({...}) is read as the document itself.
    if isinstance(v, (dict, list)):
        return v
    if is_unknownish(v):
        raise _Unk("jsonencode of an unknown value")
    return json.dumps(v)


def f_jsondecode(v: Any) -> Any:
    if isinstance(v, (dict, list)):
        return v
    try:
        return json.loads(_str(v))
    except (ValueError, RecursionError) as exc:
        raise EvalError(f"jsondecode: {exc}") from None


def f_yamlencode(v: Any) -> Any:
    _known(v)
    return json.dumps(v)


def f_yamldecode(v: Any) -> Any:
    import yaml
    try:
        return yaml.safe_load(_str(v))
    except Exception as exc:  # noqa: BLE001 - any YAML problem is an evaluation error
        raise EvalError(f"yamldecode: {exc}") from None


def f_base64encode(v: Any) -> str:
    return base64.b64encode(_str(v).encode()).decode()


def f_base64decode(v: Any) -> str:
    try:
        return base64.b64decode(_str(v)).decode("utf-8", "replace")
    except ValueError as exc:
        raise EvalError(f"base64decode: {exc}") from None


def _hash(algo: str) -> Callable[[Any], str]:
    def f(v: Any) -> str:
        return hashlib.new(algo, _str(v).encode()).hexdigest()
    return f


def f_min(*args: Any) -> Any:
    if len(args) == 1 and isinstance(_plain(args[0]), list):
        args = tuple(_list(args[0]))
    if not args:
        raise EvalError("min of nothing")
    return min(_num(a) for a in args)


def f_max(*args: Any) -> Any:
    if len(args) == 1 and isinstance(_plain(args[0]), list):
        args = tuple(_list(args[0]))
    if not args:
        raise EvalError("max of nothing")
    return max(_num(a) for a in args)


def _pow(a: Any, b: Any) -> Any:
    if abs(b) > 1024 or (abs(a) > 2 ** 64 and abs(b) > 1):
        raise _Unk("number too large")
    return norm_num(a ** b)


def _unknown_fn(reason: str) -> Callable[..., Any]:
    def f(*_: Any) -> Any:
        raise _Unk(reason)
    return f


def _passthrough(v: Any, *_: Any) -> Any:
    return v


FUNCS: dict[str, Callable[..., Any]] = {
    "cidrsubnet": f_cidrsubnet, "cidrsubnets": f_cidrsubnets, "cidrhost": f_cidrhost,
    "cidrnetmask": f_cidrnetmask,
    "length": f_length, "element": f_element, "concat": f_concat, "merge": f_merge,
    "lookup": f_lookup, "coalesce": f_coalesce, "coalescelist": f_coalescelist,
    "flatten": f_flatten, "zipmap": f_zipmap, "keys": f_keys, "values": f_values,
    "contains": f_contains, "distinct": f_distinct, "slice": f_slice, "compact": f_compact,
    "one": f_one, "sort": f_sort, "reverse": f_reverse, "range": f_range, "toset": f_toset,
    "tolist": f_tolist, "tomap": f_tomap, "index": f_index, "chunklist": f_chunklist,
    "setunion": f_setunion, "setintersection": f_setintersection, "setsubtract": f_setsubtract,
    "setproduct": f_setproduct, "transpose": f_transpose, "matchkeys": f_matchkeys,
    "alltrue": f_alltrue, "anytrue": f_anytrue, "sum": f_sum,
    "format": f_format, "formatlist": f_formatlist, "join": f_join, "split": f_split,
    "replace": f_replace, "substr": f_substr, "trim": f_trim, "regex": f_regex, "regexall": f_regexall,
    "lower": lambda s: _str(s).lower(), "upper": lambda s: _str(s).upper(),
    "title": lambda s: _str(s).title(), "chomp": lambda s: _str(s).rstrip("\r\n"),
    "trimspace": lambda s: _str(s).strip(), "trimprefix": lambda s, p: _str(s).removeprefix(_str(p)),
    "trimsuffix": lambda s, p: _str(s).removesuffix(_str(p)),
    "startswith": lambda s, p: _str(s).startswith(_str(p)), "endswith": lambda s, p: _str(s).endswith(_str(p)),
    "strcontains": lambda s, p: _str(p) in _str(s), "strrev": lambda s: _str(s)[::-1],
    "indent": lambda n, s: _str(s).replace("\n", "\n" + " " * min(_int(n), MAX_WIDTH)),
    "tostring": f_tostring, "tonumber": f_tonumber, "tobool": f_tobool,
    "jsonencode": f_jsonencode, "jsondecode": f_jsondecode, "yamlencode": f_yamlencode,
    "yamldecode": f_yamldecode, "base64encode": f_base64encode, "base64decode": f_base64decode,
    "textencodebase64": lambda s, _e: f_base64encode(s),
    "md5": _hash("md5"), "sha1": _hash("sha1"), "sha256": _hash("sha256"), "sha512": _hash("sha512"),
    "min": f_min, "max": f_max, "abs": lambda n: abs(_num(n)), "ceil": lambda n: math.ceil(_num(n)),
    "floor": lambda n: math.floor(_num(n)), "signum": lambda n: (_num(n) > 0) - (_num(n) < 0),
    "pow": lambda a, b: _pow(_num(a), _num(b)), "log": lambda a, b: math.log(_num(a), _num(b)),
    "parseint": lambda s, b: int(_str(s), _int(b)),
    "sensitive": _passthrough, "nonsensitive": _passthrough, "type": _unknown_fn("type()"),
    "basename": lambda p: _str(p).rstrip("/").rsplit("/", 1)[-1],
    "dirname": lambda p: _str(p).rsplit("/", 1)[0] if "/" in _str(p) else ".",
    "timestamp": _unknown_fn("timestamp() is known only at apply"),
    "plantimestamp": _unknown_fn("plantimestamp() is known only at plan"),
    "timeadd": _unknown_fn("time"), "formatdate": _unknown_fn("time"), "timecmp": _unknown_fn("time"),
    "uuid": _unknown_fn("uuid() is random"), "uuidv5": _unknown_fn("uuid"), "bcrypt": _unknown_fn("bcrypt is salted"),
    "pathexpand": _unknown_fn("home directory"), "abspath": _unknown_fn("absolute path"),
    "filebase64sha256": _unknown_fn("file hash"), "filesha256": _unknown_fn("file hash"),
    "filemd5": _unknown_fn("file hash"), "filesha1": _unknown_fn("file hash"), "filesha512": _unknown_fn("file hash"),
    "base64sha256": _unknown_fn("hash"), "base64sha512": _unknown_fn("hash"), "base64gzip": _unknown_fn("gzip"),
    "rsadecrypt": _unknown_fn("rsadecrypt"), "urlencode": lambda s: __import__("urllib.parse").parse.quote(_str(s), safe=""),
    "list": lambda *a: list(a), "map": lambda *a: {key_str(a[i]): a[i + 1] for i in range(0, len(a) - 1, 2)},
}

# Functions that take the whole argument list as given (no unknown short-circuit).
_TOLERANT = {"length", "concat", "merge", "lookup", "element", "coalesce", "coalescelist", "flatten",
             "zipmap", "keys", "values", "contains", "compact", "one", "toset", "tolist", "tomap",
             "jsonencode", "format", "formatlist", "join", "slice", "reverse", "sensitive", "nonsensitive",
             "list", "map", "tostring", "chunklist", "matchkeys"}


def _text_len(v: Any) -> int:
    return len(v) if isinstance(v, str) else 24


def _lists_len(lists: Any) -> int:
    return sum(len(x) if isinstance(x, (list, dict)) else 1 for x in lists)


def _replace_len(args: list[Any]) -> int:
    s, old, new = (a if isinstance(a, str) else "" for a in (args + ["", "", ""])[:3])
    if not old or (old.startswith("/") and old.endswith("/") and len(old) > 1):
        return len(s) * (1 + len(new))       # a pattern: every position may match
    return len(s) + s.count(old) * max(0, len(new) - len(old))


# Functions whose output can be far larger than their input: checked before they run, so a
# `join` of a 1 MB string 20,000 times is refused before it is built.
_GROWING: dict[str, Callable[[Any, list[Any]], None]] = {
    "join": lambda b, a: b.text(sum(_text_len(x) + _text_len(a[0]) for lst in a[1:] if isinstance(lst, list)
                                    for x in lst)),
    "concat": lambda b, a: b.items(_lists_len(a)),
    "merge": lambda b, a: b.items(_lists_len(a)),
    "setunion": lambda b, a: b.items(_lists_len(a)),
    "flatten": lambda b, a: b.size(a),
    "replace": lambda b, a: b.text(_replace_len(a)),
    "indent": lambda b, a: b.text(sum(_text_len(x) for x in a[1:]) * (1 + (a[0] if isinstance(a[0], int) else 0))),
    "jsonencode": lambda b, a: b.size(a),
    "yamlencode": lambda b, a: b.size(a),
    "formatlist": lambda b, a: b.size(a),
    "pow": lambda b, a: b.power(*a[:2]) if len(a) >= 2 else None,
    "setproduct": lambda b, a: b.items(math.prod(len(x) if isinstance(x, list) else 1 for x in a)),
}


def call(name: str, arg_nodes: list[tuple], expand: bool, ev: Any) -> Any:
    """Evaluate a call node: lazy for try/can and the file functions, eager otherwise."""
    if name in ("try", "can"):
        return _try(arg_nodes, ev) if name == "try" else _can(arg_nodes, ev)
    args = [ev.eval(a) for a in arg_nodes]
    if expand and args:
        last = _plain(args[-1])
        if isinstance(last, list):
            args = args[:-1] + last
        elif is_unknownish(last):
            return Unknown(f"{name}() of an unknown argument list")
    args = [_plain(a) for a in args]
    try:
        if name in ("file", "templatefile", "fileexists", "filebase64", "fileset"):
            return _file_fn(name, args, ev)
        fn = FUNCS.get(name)
        if fn is None:
            return Unknown(f"function {name}() is not evaluated")
        if name not in _TOLERANT:
            for a in args:
                if is_unknownish(a):
                    return Unknown(f"{name}() of an unknown argument")
        budget = budgets.current()
        if name in _GROWING:
            _GROWING[name](budget, args)
        result = fn(*args)
        if isinstance(result, str):
            budget.text(len(result))
        elif isinstance(result, list):
            budget.items(len(result))
        elif isinstance(result, int) and not isinstance(result, bool):
            budget.bits(result.bit_length())
        return result
    except _Unk as exc:
        return Unknown(f"{name}(): {exc.reason}")
    except EvalError:
        raise
    except TypeError as exc:
        raise EvalError(f"{name}(): wrong arguments ({exc})") from None
    except (ValueError, ArithmeticError, OverflowError, IndexError, KeyError) as exc:
        raise EvalError(f"{name}(): {exc}") from None


def _try(arg_nodes: list[tuple], ev: Any) -> Any:
    for node in arg_nodes:
        try:
            v = ev.eval(node)
        except EvalError:
            continue
        if isinstance(v, Unknown):
            return v
        return v
    raise EvalError("try: no argument could be evaluated")


def _can(arg_nodes: list[tuple], ev: Any) -> Any:
    if not arg_nodes:
        raise EvalError("can: no argument")
    try:
        v = ev.eval(arg_nodes[0])
    except EvalError:
        return False
    if isinstance(v, Unknown):
        return Unknown("can() of an unknown value")
    return True


def _file_fn(name: str, args: list[Any], ev: Any) -> Any:
    if not args:
        raise EvalError(f"{name}(): missing path")
    path = args[0]
    if is_unknownish(path) or (isinstance(path, str) and "${" in path):
        return Unknown(f"{name}(): path not known")
    path = _str(path)
    ctx = ev.ctx
    if name == "fileexists":
        return ctx.read_file(path, probe=True) is not None
    if name == "fileset":
        return Unknown("fileset() is not evaluated")
    text = ctx.read_file(path)
    if text is None:
        return Unknown(f"{name}(): {path} is outside the scanned tree or missing")
    if name == "file":
        return text
    if name == "filebase64":
        return base64.b64encode(text.encode()).decode()
    variables = args[1] if len(args) > 1 else {}
    if is_unknownish(variables):
        return Unknown("templatefile(): variables not known")
    from archreview.loaders.terraform.hcl import template_from_text
    from archreview.loaders.terraform.expr import Evaluator
    if not isinstance(variables, dict):
        raise EvalError("templatefile(): variables must be a map")
    sub = Evaluator(_TemplateCtx(ctx), dict(variables))
    node = template_from_text(text)
    return sub.eval(node)


class _TemplateCtx:
    """Inside a template file only the given variables (and functions) exist."""

    def __init__(self, parent: Any) -> None:
        self.parent = parent

    def root_name(self, name: str) -> Any:
        raise EvalError(f"template variable {name!r} is not given")

    def read_file(self, path: str, probe: bool = False) -> Any:
        return self.parent.read_file(path, probe=probe)


# Kept for callers that want a quick "is this a Ref" test without importing values.
