"""Differential test: random CEL expressions evaluated by `lakegate policy eval --batch` and by Google's
C++ CEL (cel-expr-python, through Tests/CELTests/conformance/oracle.py), compared with the corpus matching
rules. An error on both sides counts as agreement."""

import base64
import json
import math
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

pytest.importorskip("cel_expr_python", reason="cel-expr-python is in requirements-test.txt")

ROOT = Path(__file__).resolve().parents[2]
ORACLE = ROOT / "Tests" / "CELTests" / "conformance" / "oracle.py"
COUNT = 400
SEED = 20261125


class Gen:
    """Random well-formed expressions of a requested type; some overflow or fail on purpose."""

    def __init__(self, rng):
        self.r = rng

    def pick(self, *options):
        return self.r.choice(options)

    def int_lit(self):
        return str(self.pick(0, 1, 2, 3, 7, 10, 42, 100, -1, -5, 2**31, 4611686018427387904, 9223372036854775807,
                             -9223372036854775807, self.r.randint(-1000, 1000)))

    def expr(self, t, d):
        if d <= 0:
            return self.leaf(t)
        return getattr(self, "gen_" + t)(d - 1)

    def leaf(self, t):
        r = self.r
        if t == "int":
            return self.pick(self.int_lit(), "i", "size(s)", "size(l)")
        if t == "uint":
            return self.pick("0u", "1u", "7u", "u", "18446744073709551615u", f"{r.randint(0, 10000)}u")
        if t == "double":
            return self.pick("0.0", "1.5", "-2.25", "f", "1e10", "3.0", "-0.5", "1e308")
        if t == "string":
            return self.pick("''", "'abc'", "s", "'héllo'", "'a-b'", "\"x\\ny\"", "'ABC'")
        if t == "bool":
            return self.pick("true", "false", "b")
        if t == "list":
            return self.pick("[]", "[1, 2, 3]", "l", "[5, -1, 7, 0]")
        if t == "map":
            return self.pick("{}", "{'a': 1, 'b': 2}", "m", "{'k': -3}")
        raise ValueError(t)

    def gen_int(self, d):
        e = lambda: self.expr("int", d)
        return self.pick(
            lambda: f"({e()} + {e()})", lambda: f"({e()} - {e()})", lambda: f"({e()} * {e()})",
            lambda: f"({e()} / {e()})", lambda: f"({e()} % {e()})", lambda: f"-{e()}",
            lambda: f"({self.expr('bool', d)} ? {e()} : {e()})", lambda: f"size({self.expr('list', d)})",
            lambda: f"size({self.expr('string', d)})", lambda: f"int({self.expr('uint', d)})",
            lambda: f"int({self.pick('1.9', '-7.9', '1e19', '0.5', 'f')})", lambda: f"{self.expr('list', d)}[{e()}]",
            lambda: f"{self.expr('map', d)}[{self.pick(repr('a'), repr('b'), repr('k'))}]",
            lambda: f"int('{self.r.randint(-99, 99)}')", lambda: self.leaf("int"),
        )()

    def gen_uint(self, d):
        e = lambda: self.expr("uint", d)
        return self.pick(
            lambda: f"({e()} + {e()})", lambda: f"({e()} - {e()})", lambda: f"({e()} * {e()})",
            lambda: f"({e()} / {e()})", lambda: f"({e()} % {e()})", lambda: f"uint({self.expr('int', d)})",
            lambda: f"({self.expr('bool', d)} ? {e()} : {e()})", lambda: self.leaf("uint"),
        )()

    def gen_double(self, d):
        e = lambda: self.expr("double", d)
        return self.pick(
            lambda: f"({e()} + {e()})", lambda: f"({e()} - {e()})", lambda: f"({e()} * {e()})",
            lambda: f"({e()} / {e()})", lambda: f"-{e()}", lambda: f"double({self.expr('int', d)})",
            lambda: f"double({self.expr('uint', d)})", lambda: f"({self.expr('bool', d)} ? {e()} : {e()})",
            lambda: self.leaf("double"),
        )()

    def gen_string(self, d):
        e = lambda: self.expr("string", d)
        return self.pick(
            lambda: f"({e()} + {e()})", lambda: f"string({self.expr('int', d)})",
            lambda: f"string({self.expr('uint', d)})", lambda: f"({self.expr('bool', d)} ? {e()} : {e()})",
            lambda: f"string({self.expr('bool', d)})", lambda: self.leaf("string"),
        )()

    def gen_bool(self, d):
        num = lambda: self.expr(self.pick("int", "uint", "double"), d)
        op = lambda: self.pick("==", "!=", "<", "<=", ">", ">=")
        b = lambda: self.expr("bool", d)
        s = lambda: self.expr("string", d)
        return self.pick(
            lambda: f"({num()} {op()} {num()})", lambda: f"({s()} {op()} {s()})", lambda: f"({b()} && {b()})",
            lambda: f"({b()} || {b()})", lambda: f"!{b()}", lambda: f"{s()}.contains({s()})",
            lambda: f"{s()}.startsWith({s()})", lambda: f"{s()}.endsWith({s()})",
            lambda: f"({self.expr('int', d)} in {self.expr('list', d)})",
            lambda: f"({self.pick(repr('a'), repr('k'), repr('z'))} in {self.expr('map', d)})",
            lambda: f"{self.expr('list', d)}.all(x, x {op()} {self.expr('int', d)})",
            lambda: f"{self.expr('list', d)}.exists(x, x {op()} {self.expr('int', d)})",
            lambda: f"{self.expr('list', d)}.exists_one(x, 10 / x > 1)",
            lambda: f"{self.expr('map', d)}.exists(k, {self.expr('map', d)}[k] > 0)",
            lambda: f"has(m.{self.pick('a', 'k', 'z')})", lambda: f"({self.expr('list', d)} == {self.expr('list', d)})",
            lambda: f"({self.expr('map', d)} == {self.expr('map', d)})", lambda: f"(1 / 0 == 1 {self.pick('||', '&&')} {b()})",
            lambda: f"({b()} {self.pick('||', '&&')} undefined_var)", lambda: f"{s()}.matches('^a.*c$')",
            lambda: f"(type({num()}) == {self.pick('int', 'uint', 'double')})", lambda: self.leaf("bool"),
        )()

    def gen_list(self, d):
        e = lambda: self.expr("list", d)
        i = lambda: self.expr("int", d)
        return self.pick(
            lambda: f"({e()} + {e()})", lambda: f"[{i()}, {i()}]", lambda: f"{e()}.map(x, x * {i()})",
            lambda: f"{e()}.filter(x, x > {i()})", lambda: f"{e()}.map(x, x > 0, x - 1)",
            lambda: f"{self.expr('map', d)}.map(k, size(k))", lambda: self.leaf("list"),
        )()

    def gen_map(self, d):
        i = lambda: self.expr("int", d)
        return self.pick(
            lambda: f"{{'a': {i()}, 'b': {i()}}}", lambda: f"{{'k': {i()}}}", lambda: self.leaf("map"),
            lambda: f"({self.expr('bool', d)} ? {self.expr('map', d)} : {self.expr('map', d)})",
        )()


def bindings(rng):
    return {
        "i": {"int": str(rng.randint(-50, 50))},
        "u": {"uint": str(rng.randint(0, 50))},
        "f": {"double": rng.choice([0.5, -1.25, 2.0, 1e300])},
        "s": {"string": rng.choice(["abc", "", "héllo", "a.c"])},
        "b": {"bool": rng.choice([True, False])},
        "l": {"list": [{"int": str(rng.randint(-3, 9))} for _ in range(rng.randint(0, 4))]},
        "m": {"map": [[{"string": k}, {"int": str(rng.randint(-2, 5))}] for k in rng.sample(["a", "b", "k"], 2)]},
    }


def number(tagged):
    tag, body = next(iter(tagged.items()))
    if tag == "double":
        return float(body) if not isinstance(body, str) else float(body.replace("Infinity", "inf"))
    return int(body)


def same(a, b):
    """The corpus README's matching rules; errors match errors."""
    if "error" in a or "error" in b:
        return "error" in a and "error" in b
    (ta, va), (tb, vb) = next(iter(a.items())), next(iter(b.items()))
    if ta != tb:
        return False
    if ta in ("int", "uint"):
        return int(va) == int(vb)
    if ta == "double":
        x, y = number(a), number(b)
        return x == y or (math.isnan(x) and math.isnan(y))
    if ta == "list":
        return len(va) == len(vb) and all(same(x, y) for x, y in zip(va, vb))
    if ta == "map":
        if len(va) != len(vb):
            return False
        for k, v in vb:
            match = [w for (j, w) in va if same(j, k)]
            if not match or not same(match[0], v):
                return False
        return True
    if ta == "bytes":
        return base64.b64decode(va) == base64.b64decode(vb)
    return va == vb


def test_random_expressions_agree_with_cel_cpp():
    bin_dir = os.environ.get("LAKEGATE_BIN_DIR")
    assert bin_dir, "LAKEGATE_BIN_DIR must point at the built executables"
    rng = random.Random(SEED)
    gen = Gen(rng)
    requests = []
    for n in range(COUNT):
        t = ["bool", "int", "uint", "double", "string", "list", "map"][n % 7]
        requests.append({"expr": gen.expr(t, rng.randint(1, 3)), "bindings": bindings(rng)})
    lines = "".join(json.dumps(r) + "\n" for r in requests)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "requests.jsonl"
        path.write_text(lines)
        ours = subprocess.run([os.path.join(bin_dir, "lakegate"), "policy", "eval", "--batch", str(path)],
                              capture_output=True, text=True, timeout=120, check=True).stdout.splitlines()
    theirs = subprocess.run([sys.executable, str(ORACLE), "--batch"], input=lines, capture_output=True,
                            text=True, timeout=120, check=True).stdout.splitlines()
    assert len(ours) == len(theirs) == COUNT
    disagreements = []
    errors = 0
    for req, a, b in zip(requests, ours, theirs):
        x, y = json.loads(a), json.loads(b)
        if "phase" in y and y["phase"] == "unsupported":
            continue
        errors += "error" in y
        if not same(x, y):
            disagreements.append(f"{req['expr']}\n    bindings={json.dumps(req['bindings'])}\n    lakegate={a}\n    cel-cpp={b}")
    print(f"CEL differential: {COUNT - len(disagreements)}/{COUNT} agree ({errors} errors on the oracle side)")
    assert not disagreements, f"{len(disagreements)} disagreements:\n" + "\n".join(disagreements[:20])
    # The generator must exercise both values and errors, or the comparison says little.
    assert 0 < errors < COUNT // 2
