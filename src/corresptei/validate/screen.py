"""A Schematron screen: proves, on the lxml tree already parsed, that no rule fires.

Running a Schematron schema through saxonche costs a second parse of every
document (Saxon cannot read lxml's tree) plus the transformation; for a valid
corpus nearly all of that work ends in "no findings".  The screen answers the
question "can any assert or report of this schema fire on this document?" with
libxml2's XPath 1.0 on the tree RELAX NG has just checked:

* ``False`` (clean) only when it has *proved* that no check fires and that no
  rule would raise a dynamic error;
* ``True`` (flagged) whenever it is unsure.  Flagged documents go to Saxon,
  which stays the authority for every finding and message.

How it is built (:func:`compile_screen`, from the included and expanded
``sch:schema``):

1. Each rule context (an XSLT pattern) is split into alternatives; the last
   step's name test gives a dispatch key (``{ns}local``, ``{ns}*`` or ``*``),
   attribute tests in its predicates give guards (``tei:*[@when]`` is only
   tried on elements carrying ``when``), and the whole pattern becomes an
   XPath 1.0 test on the candidate element (``tei:l//tei:p`` ->
   ``self::tei:p[ancestor::tei:l]``).
2. Each assert/report test is translated from XPath 2/3 (parsed by
   elementpath) to XPath 1.0 where the meaning is provably the same, with a few
   extension functions (``matches`` with the regex translated to Python's
   dialect, ``string-join``, ``doc``/``id`` lookups, integer casts).  Where a
   sub-expression cannot be translated exactly, the test is over-approximated:
   ``A and B`` with ``B`` unknown may be true whenever ``A`` may be; an unknown
   test may fire whenever its rule matches.
3. A rule whose context cannot be translated fires whenever an element with its
   dispatch key appears; a rule on attributes, text or the document node turns
   the screen off for the schema (``compile_screen`` returns ``None``).

Soundness is what the tests check: on every document of the test corpora, a
document Saxon reports anything for is flagged by the screen.
"""

from __future__ import annotations

import itertools
import json
import math
import operator
import os
import re
import threading
import time
import types
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .security import Process

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
SCH = f"{{{SCH_NS}}}"
XSL_NS = "http://www.w3.org/1999/XSL/Transform"
XML_NS = "http://www.w3.org/XML/1998/namespace"
#: Namespace of the screen's extension functions, and the prefix the translated XPath uses.
EXT_NS = "urn:corresptei:schematron-screen"
EXT = "csx"


class Untranslatable(Exception):
    """An XPath 2/3 construct with no exact XPath 1.0 counterpart here."""


# ---------------------------------------------------------------------------
# Translated expressions
# ---------------------------------------------------------------------------

NODES, STRING, NUMBER, BOOLEAN, SEQ = "nodes", "string", "number", "boolean", "seq"


@dataclass(frozen=True)
class Expr:
    """An XPath 1.0 text with what XPath 2 would make of it.

    ``kind``: nodes | string | number | boolean | seq (a sequence of literals,
    usable only in general comparisons).  ``single``: at most one item.
    ``step``: the text is a location step (``axis::test[...]``) that may
    carry more predicates or follow ``/``.
    """

    text: str
    kind: str
    single: bool = True
    step: bool = False
    items: tuple[str, ...] = ()  # for SEQ: the literals, already quoted
    castable: tuple[str, ...] = ()  # operands this (boolean) expression, when true, proves castable to xs:integer


def _quote(s: str) -> str:
    if "'" not in s:
        return f"'{s}'"
    if '"' not in s:
        return f'"{s}"'
    parts = s.split("'")
    return "concat(" + ", \"'\", ".join(f"'{p}'" for p in parts) + ")"


def _number(v) -> str:
    f = float(v)
    if not math.isfinite(f):
        raise Untranslatable("non-finite number literal")
    if f == int(f) and abs(f) < 1e15:
        return str(int(f))
    return repr(f) if "e" not in repr(f) else format(f, "f")


def _ebv(e: Expr) -> str:
    """The effective boolean value of ``e`` in XPath 1.0, where XPath 2 agrees (else raises)."""
    if e.kind == BOOLEAN:
        return e.text
    if e.kind == NODES:
        return f"boolean({e.text})"
    if e.kind in (STRING, NUMBER) and e.single:
        return f"boolean({e.text})"
    raise Untranslatable("effective boolean value of a sequence")


def _as_string_arg(e: Expr) -> str:
    """An argument where XPath 2 wants ``xs:string?``: a string, or at most one node."""
    if e.kind == STRING and e.single:
        return e.text
    if e.kind == NODES and e.single:
        return e.text
    raise Untranslatable("string argument that may be a sequence")


@dataclass
class Scope:
    """What the translator may refer to.

    ``vars``: name -> Expr for variables passed to the XPath at evaluation
    (scalars) or inlined (node-sets relative to the rule's context node).
    ``top``: the context item is the rule's context node (inlined lets are valid).
    ``item_var``: inside a quantifier's body, the variable bound to ``.``;
    the outer context item may not be used there.
    """

    namespaces: dict[str, str]
    vars: dict[str, Expr]
    top: bool = True
    item_var: str | None = None
    hoisted: dict[str, str] = field(default_factory=dict)  # variable name -> XPath (top scope)
    #: Refuse every use of the rule's context node except its document's base URI: a
    #: test translated so depends only on the variables and the document's URI.
    pure: bool = False
    #: Operands an enclosing ``and`` has already proved castable to xs:integer.
    integers: frozenset[str] = frozenset()

    def nested(self, item_var: str | None = None) -> Scope:
        return Scope(self.namespaces, self.vars, top=False, item_var=item_var, hoisted=self.hoisted,
                     pure=self.pure)

    def knowing(self, integers: Iterable[str]) -> Scope:
        return Scope(self.namespaces, self.vars, top=self.top, item_var=self.item_var, hoisted=self.hoisted,
                     pure=self.pure, integers=self.integers | frozenset(integers))


_AXES = {"child", "descendant", "parent", "ancestor", "following-sibling", "preceding-sibling",
         "following", "preceding", "attribute", "self", "descendant-or-self", "ancestor-or-self"}
_SINGLE_AXES = {"parent", "self", "attribute"}
_COMPARE = {"=": "=", "!=": "!="}
_VALUE_COMPARE = {"eq": "=", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
_RELATIONAL = {"<", "<=", ">", ">="}
_ARITH = {"+": "+", "-": "-", "*": "*", "div": "div", "mod": "mod"}
_STRING_FUNCS = {  # name -> (min args, max args, result kind); every argument a string (or one node)
    "string": (0, 1, STRING), "normalize-space": (0, 1, STRING), "string-length": (0, 1, NUMBER),
    "contains": (2, 2, BOOLEAN), "starts-with": (2, 2, BOOLEAN), "substring-before": (2, 2, STRING),
    "substring-after": (2, 2, STRING), "translate": (3, 3, STRING),
}
_NODE_NAME_FUNCS = {"name", "local-name", "namespace-uri"}


def _context_ok(scope: Scope) -> None:
    if scope.item_var is not None:
        raise Untranslatable("the outer context item inside a quantifier")
    if scope.pure and scope.top:
        raise Untranslatable("the rule's context node (pure translation)")


def _name_test(tok, scope: Scope) -> str:
    """A node test as XPath 1.0 text (element or attribute names)."""
    sym = tok.symbol
    if sym == "(name)":
        return tok.value
    if sym == "*":
        return "*"
    if sym == ":":
        prefix, local = tok[0], tok[1]
        if prefix.symbol == "*":  # *:local
            if local.symbol != "(name)":
                raise Untranslatable("wildcard prefix")
            return f"*[local-name() = {_quote(local.value)}]"
        if prefix.symbol != "(name)" or (prefix.value not in scope.namespaces and prefix.value != "xml"):
            raise Untranslatable("undeclared prefix")
        if local.symbol == "*":
            return f"{prefix.value}:*"
        if local.symbol == "(name)":
            return f"{prefix.value}:{local.value}"
        raise Untranslatable("prefixed name")
    if sym == "text" and len(tok) == 0:
        return "text()"
    if sym == "node" and len(tok) == 0:
        return "node()"
    if sym == "comment" and len(tok) == 0:
        return "comment()"
    if sym == "element" and len(tok) == 0:
        return "*"
    raise Untranslatable(f"node test {sym}")


def translate(tok, scope: Scope) -> Expr:
    """XPath 2/3 token tree -> :class:`Expr` with the same value (or :class:`Untranslatable`)."""
    sym = tok.symbol
    # literals
    if sym == "(string)":
        return Expr(_quote(tok.value), STRING)
    if sym in ("(integer)", "(decimal)", "(float)", "(double)"):
        return Expr(_number(tok.value), NUMBER)
    # variables
    if sym == "$":
        name = tok.value
        if scope.item_var is not None and name == scope.item_var:
            return Expr(".", NODES, single=True)
        var = scope.vars.get(name)
        if var is None:
            raise Untranslatable(f"variable ${name}")
        if var.kind == NODES and not var.text.startswith("$"):  # inlined node-set let
            if not scope.top:
                raise Untranslatable(f"${name} away from the rule's context")
            return Expr(f"({var.text})", NODES, single=var.single)
        return var
    # context and steps
    if sym == ".":
        _context_ok(scope)
        return Expr(".", NODES, single=True)
    if sym == "..":
        _context_ok(scope)
        return Expr("..", NODES, single=True, step=True)
    if sym in ("(name)", ":") or (sym in ("*", "text", "node", "comment", "element") and len(tok) == 0
                                  and tok.label != "function"):
        if sym == ":" and len(tok) == 2 and tok[1].symbol not in ("(name)", "*"):
            return _function(tok, scope)  # a prefixed function call (xs:integer(...))
        _context_ok(scope)
        return Expr(_name_test(tok, scope), NODES, single=False, step=True)
    if sym == "@":
        _context_ok(scope)
        test = _name_test(tok[0], scope)
        return Expr(f"@{test}", NODES, single=test != "*" and not test.startswith("*["), step=True)
    if sym in _AXES and len(tok) == 1 and tok.label == "axis":
        _context_ok(scope)
        test = _name_test(tok[0], scope)
        single = sym in ("parent", "self") or (sym == "attribute" and "*" not in test)
        return Expr(f"{sym}::{test}", NODES, single=single, step=True)
    if sym in ("/", "//"):
        if len(tok) == 1:  # absolute
            _context_ok(scope)
            right = translate(tok[0], scope.nested())
            if right.kind != NODES or not right.step:
                raise Untranslatable("absolute path to a non-step")
            return Expr(f"{sym}{right.text}", NODES, single=False)
        if len(tok) == 0:
            _context_ok(scope)
            return Expr("/", NODES, single=True)
        left = translate(tok[0], scope)
        if left.kind != NODES:
            raise Untranslatable("path from atomic values")
        right = translate(tok[1], scope.nested())
        if right.kind != NODES or not right.step:
            raise Untranslatable("path step that is not an axis step")
        single = left.single and right.single and sym == "/"
        return Expr(f"{left.text}{sym}{right.text}", NODES, single=single)
    if sym == "[":
        base = translate(tok[0], scope)
        if base.kind != NODES:
            raise Untranslatable("predicate on atomic values")
        pred = translate(tok[1], scope.nested())
        if pred.kind == SEQ:
            raise Untranslatable("sequence predicate")
        if pred.kind == NUMBER and not pred.single:
            raise Untranslatable("numeric predicate on a sequence")
        text = f"{base.text}[{pred.text}]" if base.step else f"({base.text})[{pred.text}]"
        return Expr(text, NODES, single=base.single, step=base.step)
    if sym == "(":  # parenthesised
        if len(tok) == 0:
            raise Untranslatable("empty sequence")
        inner = translate(tok[0], scope)
        if inner.kind == SEQ:
            return inner
        return Expr(f"({inner.text})", inner.kind, inner.single, castable=inner.castable)
    if sym == ",":
        items: list[str] = []
        for child in tok:
            e = translate(child, scope)
            if e.kind == SEQ:
                items.extend(e.items)
            elif e.kind in (STRING, NUMBER) and child.symbol in ("(string)", "(integer)", "(decimal)", "(double)"):
                items.append(e.text)
            else:
                raise Untranslatable("sequence of non-literals")
        return Expr("", SEQ, single=False, items=tuple(items))
    if sym == "|" or sym == "union":
        left, right = translate(tok[0], scope), translate(tok[1], scope)
        if left.kind != NODES or right.kind != NODES:
            raise Untranslatable("union of non-nodes")
        return Expr(f"({left.text} | {right.text})", NODES, single=False)
    if sym == "and" and len(tok) == 2:  # left first: XPath 1.0 stops at a false left, as Saxon does
        left = translate(tok[0], scope)
        right = translate(tok[1], scope.knowing(left.castable))
        return Expr(f"({_ebv(left)} and {_ebv(right)})", BOOLEAN, castable=left.castable + right.castable)
    if sym == "or" and len(tok) == 2:
        left, right = translate(tok[0], scope), translate(tok[1], scope)
        return Expr(f"({_ebv(left)} or {_ebv(right)})", BOOLEAN)
    if sym in _COMPARE or sym in _RELATIONAL:
        return _general_compare(sym, translate(tok[0], scope), translate(tok[1], scope))
    if sym in _VALUE_COMPARE:
        return _value_compare(sym, translate(tok[0], scope), translate(tok[1], scope))
    if sym in _ARITH and len(tok) == 2:
        left, right = translate(tok[0], scope), translate(tok[1], scope)
        if left.kind != NUMBER or right.kind != NUMBER:
            raise Untranslatable("arithmetic on non-numbers")
        return Expr(f"({left.text} {_ARITH[sym]} {right.text})", NUMBER, left.single and right.single)
    if sym == "-" and len(tok) == 1:
        operand = translate(tok[0], scope)
        if operand.kind != NUMBER:
            raise Untranslatable("negation of a non-number")
        return Expr(f"(0 - {operand.text})", NUMBER, operand.single)
    if sym in ("every", "some"):
        return _quantified(tok, scope)
    if sym == "castable":
        return _castable(tok, scope)
    if tok.label in ("function", "constructor function") or sym == ":":
        return _function(tok, scope)
    raise Untranslatable(f"{sym}")


def _general_compare(sym: str, left: Expr, right: Expr) -> Expr:
    if left.kind == SEQ and right.kind != SEQ:
        left, right = right, left
        sym = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}.get(sym, sym)
    if right.kind == SEQ:
        if sym not in _COMPARE or left.kind not in (NODES, STRING) or not right.items:
            raise Untranslatable("comparison with a sequence")
        if any(not i.startswith(("'", '"', "concat(")) for i in right.items):
            raise Untranslatable("comparison with numbers")
        return Expr("(" + " or ".join(f"{left.text} {sym} {i}" for i in right.items) + ")", BOOLEAN)
    kinds = {left.kind, right.kind}
    if sym in _RELATIONAL:
        if kinds != {NUMBER}:
            raise Untranslatable("ordering comparison of non-numbers")
    elif not (kinds <= {NODES, STRING} or kinds == {NUMBER}):
        raise Untranslatable("comparison of mixed types")
    return Expr(f"({left.text} {sym} {right.text})", BOOLEAN)


def _value_compare(sym: str, left: Expr, right: Expr) -> Expr:
    for e in (left, right):
        if not e.single or e.kind in (SEQ, BOOLEAN):
            raise Untranslatable("value comparison of a sequence")
    op = _VALUE_COMPARE[sym]
    kinds = {left.kind, right.kind}
    if kinds == {NUMBER}:
        return Expr(f"({left.text} {op} {right.text})", BOOLEAN)
    if kinds <= {NODES, STRING} and op in ("=", "!="):
        return Expr(f"({left.text} {op} {right.text})", BOOLEAN)
    raise Untranslatable("value comparison of these types")


def _quantified(tok, scope: Scope) -> Expr:
    if len(tok) != 3 or tok[0].symbol != "$":
        raise Untranslatable("quantifier with several bindings")
    name = tok[0].value
    domain = translate(tok[1], scope)
    if domain.kind != NODES:
        raise Untranslatable("quantifier over atomic values")
    body = translate(tok[2], scope.nested(item_var=name))
    cond = _ebv(body)
    base = domain.text if domain.step else f"({domain.text})"
    if tok.symbol == "every":
        return Expr(f"not({base}[not({cond})])", BOOLEAN)
    return Expr(f"boolean({base}[{cond}])", BOOLEAN)


def _type_name(tok) -> str:
    if tok.symbol == ":" and tok[0].symbol == "(name)" and tok[0].value == "xs":
        return tok[1].value if tok[1].symbol == "(name)" else str(tok[1].symbol)
    raise Untranslatable("type name")


def _castable(tok, scope: Scope) -> Expr:
    if len(tok) != 2 or _type_name(tok[1]) != "integer":
        raise Untranslatable("castable as a type other than xs:integer")
    operand = _as_string_arg(translate(tok[0], scope))
    # [+-]?[0-9]+ once whitespace is collapsed (XPath 1.0 normalize-space strips the same four characters)
    s = f"normalize-space({operand})"
    digits = "'0123456789'"
    text = (f"((string-length({s}) > 0 and translate({s}, {digits}, '') = '') or "
            f"(string-length({s}) > 1 and (starts-with({s}, '+') or starts-with({s}, '-')) and "
            f"translate(substring({s}, 2), {digits}, '') = ''))")
    return Expr(text, BOOLEAN, castable=(operand,))


def _args(tok, scope: Scope) -> list[Expr]:
    return [translate(child, scope) for child in tok]


def _function(tok, scope: Scope) -> Expr:
    sym = tok.symbol
    if sym == ":":  # prefixed: fn:name(...) or xs:type(...)
        prefix = tok[0].value if tok[0].symbol == "(name)" else None
        call = tok[1]
        if prefix == "xs" and call.symbol == "integer":
            args = _args(call, scope)
            if len(args) != 1:
                raise Untranslatable("xs:integer arity")
            operand = _as_string_arg(args[0])
            if operand in scope.integers:  # known castable: plain arithmetic gives the same number
                return Expr(f"number(translate(normalize-space({operand}), '+', ''))", NUMBER)
            return Expr(f"{EXT}:integer({operand})", NUMBER)
        if prefix == "fn":
            return _function(call, scope)
        raise Untranslatable(f"function {prefix}:{call.symbol}")
    name = sym
    if name in ("true", "false") and len(tok) == 0:
        return Expr(f"{name}()", BOOLEAN)
    if name in ("position", "last") and len(tok) == 0:
        if scope.top or scope.item_var is not None:
            raise Untranslatable("position() outside a predicate")
        return Expr(f"{name}()", NUMBER)
    if name in ("not", "boolean", "exists", "empty") and len(tok) == 1:
        (arg,) = _args(tok, scope)
        if name in ("exists", "empty"):
            if arg.kind != NODES:
                raise Untranslatable(f"{name} of atomic values")
            return Expr(f"boolean({arg.text})" if name == "exists" else f"not({arg.text})", BOOLEAN)
        text = _ebv(arg)
        return Expr(f"not({text})" if name == "not" else text, BOOLEAN)
    if name == "count" and len(tok) == 1:
        inner = tok[0]
        if inner.symbol == "distinct-values" and len(inner) == 1:
            arg = translate(inner[0], scope)
            if arg.kind != NODES:
                raise Untranslatable("distinct-values of atomic values")
            if not scope.top:
                raise Untranslatable("distinct-values away from the rule's context")
            return Expr(f"{EXT}:count-distinct({arg.text})", NUMBER)
        if inner.symbol == "$" and inner.value in scope.vars and not scope.top:
            var = scope.vars[inner.value]
            if var.kind == NODES and not var.text.startswith("$"):
                return _hoist(f"count({var.text})", scope)
        arg = translate(inner, scope)
        if arg.kind == SEQ:
            return Expr(str(len(arg.items)), NUMBER)
        if arg.kind != NODES:
            # a string or boolean function gives exactly one item; a number may be () in XPath 2
            if not (arg.single and arg.kind in (STRING, BOOLEAN)):
                raise Untranslatable("count of atomic values")
            return Expr("1", NUMBER)
        return Expr(f"count({arg.text})", NUMBER)
    if name in _STRING_FUNCS:
        lo, hi, kind = _STRING_FUNCS[name]
        if not lo <= len(tok) <= hi:
            raise Untranslatable(f"{name} arity")
        if len(tok) == 0:
            _context_ok(scope)
        args = [_as_string_arg(a) for a in _args(tok, scope)]
        return Expr(f"{name}({', '.join(args)})", kind)
    if name in _NODE_NAME_FUNCS and len(tok) <= 1:
        if len(tok) == 0:
            _context_ok(scope)
            return Expr(f"{name}()", STRING)
        (arg,) = _args(tok, scope)
        if arg.kind != NODES or not arg.single:
            raise Untranslatable(f"{name} of a sequence")
        return Expr(f"{name}({arg.text})", STRING)
    if name == "concat" and len(tok) >= 2:
        return Expr(f"concat({', '.join(_as_string_arg(a) for a in _args(tok, scope))})", STRING)
    if name == "substring" and len(tok) in (2, 3):
        args = _args(tok, scope)
        if any(a.kind != NUMBER or not a.single for a in args[1:]):
            raise Untranslatable("substring positions")
        return Expr(f"substring({', '.join([_as_string_arg(args[0])] + [a.text for a in args[1:]])})", STRING)
    if name in ("floor", "ceiling") and len(tok) == 1:
        (arg,) = _args(tok, scope)
        if arg.kind != NUMBER or not arg.single:
            raise Untranslatable(f"{name} of a non-number")
        return Expr(f"{name}({arg.text})", NUMBER)
    if name == "matches" and len(tok) in (2, 3):
        args = _args(tok, scope)
        if args[1].kind != STRING or tok[1].symbol != "(string)":
            raise Untranslatable("matches() with a computed pattern")
        flags = ""
        if len(tok) == 3:
            if tok[2].symbol != "(string)":
                raise Untranslatable("matches() with computed flags")
            flags = tok[2].value
        pattern = translate_regex(tok[1].value, flags)
        return Expr(f"{EXT}:matches({_as_string_arg(args[0])}, {_quote(pattern)})", BOOLEAN)
    if name == "ends-with" and len(tok) == 2:
        args = [_as_string_arg(a) for a in _args(tok, scope)]
        return Expr(f"{EXT}:ends-with({args[0]}, {args[1]})", BOOLEAN)
    if name == "string-join" and len(tok) in (1, 2):
        args = _args(tok, scope)
        if args[0].kind != NODES:
            raise Untranslatable("string-join of atomic values")
        sep = _as_string_arg(args[1]) if len(args) == 2 else "''"
        return Expr(f"{EXT}:string-join({args[0].text}, {sep})", STRING)
    if name == "base-uri" and len(tok) <= 1:
        if (len(tok) == 0 or tok[0].symbol == ".") and scope.item_var is None:
            return Expr(f"{EXT}:base-uri(.)", STRING)  # the document's URI: no other use of "."
        (arg,) = _args(tok, scope)
        if arg.kind != NODES or not arg.single:
            raise Untranslatable("base-uri of a sequence")
        return Expr(f"{EXT}:base-uri({arg.text})", STRING)
    if name == "resolve-uri" and len(tok) == 2:
        base_tok = tok[1]
        if (base_tok.symbol == "base-uri" and (len(base_tok) == 0 or base_tok[0].symbol == ".")
                and scope.top and scope.item_var is None):
            # against this document: depends on its folder only (a relative reference that is
            # empty or starts with # or ? would need the whole URI: refused at run time)
            rel = _as_string_arg(translate(tok[0], scope))
            return Expr(f"{EXT}:resolve-here({rel})", STRING)
        args = [_as_string_arg(a) for a in _args(tok, scope)]
        return Expr(f"{EXT}:resolve-uri({args[0]}, {args[1]})", STRING)
    if name == "doc-available" and len(tok) == 1:
        (arg,) = _args(tok, scope)
        return Expr(f"{EXT}:doc-available({_as_string_arg(arg)})", BOOLEAN)
    if name == "doc" and len(tok) == 1:
        (arg,) = _args(tok, scope)
        return Expr(f"{EXT}:doc({_as_string_arg(arg)})", NODES, single=True)
    if name == "id" and len(tok) == 2:
        ids, where = _args(tok, scope)
        if where.kind != NODES or not where.single:
            raise Untranslatable("id() in a sequence of documents")
        if ids.kind not in (STRING, NODES):
            raise Untranslatable("id() of non-strings")
        return Expr(f"{EXT}:id({ids.text}, {where.text})", NODES, single=False)
    if name == "id" and len(tok) == 1:
        _context_ok(scope)
        (ids,) = _args(tok, scope)
        if ids.kind not in (STRING, NODES):
            raise Untranslatable("id() of non-strings")
        return Expr(f"{EXT}:id({ids.text}, .)", NODES, single=False)
    raise Untranslatable(f"function {name}()")


def _hoist(text: str, scope: Scope) -> Expr:
    """A scalar computed once in the rule's context and passed in as a variable."""
    name = f"{EXT}-h{len(scope.hoisted) + 1}"
    scope.hoisted[name] = text
    return Expr(f"${name}", NUMBER)


# ---------------------------------------------------------------------------
# Regular expressions: XPath (XSD + F&O) -> Python ``re``
# ---------------------------------------------------------------------------

_SPACE_CLASS = " \\t\\n\\r"


def translate_regex(pattern: str, flags: str = "") -> str:
    """An XPath regular expression in Python's dialect, same matches (or :class:`Untranslatable`).

    Supported: literals, ``.``, ``^``/``$`` (string anchors), character classes
    without subtraction, ``\\d``/``\\D``, ``\\s``/``\\S``, single-character
    escapes, groups, alternation and quantifiers; flags ``s`` only.
    """
    if set(flags) - {"s"}:
        raise Untranslatable(f"regex flags {flags!r}")
    dot = "[\\s\\S]" if "s" in flags else "[^\\n\\r]"
    out: list[str] = []
    i, n = 0, len(pattern)
    depth = 0
    while i < n:
        c = pattern[i]
        if c == "\\":
            esc, i = _regex_escape(pattern, i, in_class=False)
            out.append(esc)
            continue
        if c == "[":
            cls, i = _regex_class(pattern, i)
            out.append(cls)
            continue
        if c == ".":
            out.append(dot)
        elif c == "$":
            out.append("\\Z")
        elif c == "(":
            if pattern.startswith("(?", i) and not pattern.startswith("(?:", i):
                raise Untranslatable("regex group flags")
            depth += 1
            out.append(c)
        elif c == ")":
            depth -= 1
            out.append(c)
        elif c == "{":
            m = re.match(r"\{(\d+)(,(\d*))?\}", pattern[i:])
            if not m:
                raise Untranslatable("regex quantifier")
            out.append(m.group(0))
            i += len(m.group(0))
            continue
        elif c in "]}":
            raise Untranslatable("unbalanced regex")
        else:
            out.append(c)
        i += 1
    if depth:
        raise Untranslatable("unbalanced regex group")
    text = "".join(out)
    try:
        re.compile(text)
    except re.error as exc:
        raise Untranslatable(f"regex: {exc}") from exc
    return text


_SINGLE_ESCAPES = {"n": "\\n", "r": "\\r", "t": "\\t"}
_META = set("\\|.?*+(){}-[]^$")


def _regex_escape(p: str, i: int, in_class: bool) -> tuple[str, int]:
    if i + 1 >= len(p):
        raise Untranslatable("trailing backslash")
    c = p[i + 1]
    if c in _SINGLE_ESCAPES:
        return _SINGLE_ESCAPES[c], i + 2
    if c in _META:
        return "\\" + c, i + 2
    if c == "d":
        return ("\\d", i + 2)
    if c == "D" and not in_class:
        return ("\\D", i + 2)
    if c == "s":
        return (_SPACE_CLASS if in_class else f"[{_SPACE_CLASS}]"), i + 2
    if c == "S" and not in_class:
        return f"[^{_SPACE_CLASS}]", i + 2
    raise Untranslatable(f"regex escape \\{c}")


def _regex_class(p: str, i: int) -> tuple[str, int]:
    out = ["["]
    i += 1
    if i < len(p) and p[i] == "^":
        out.append("^")
        i += 1
    first = True
    while i < len(p):
        c = p[i]
        if c == "]" and not first:
            out.append("]")
            return "".join(out), i + 1
        if c == "[" or (c == "-" and p.startswith("-[", i)):
            raise Untranslatable("regex class subtraction or nesting")
        if c == "\\":
            esc, i = _regex_escape(p, i, in_class=True)
            out.append(esc)
        else:
            if c in "&~|" and p.startswith(c * 2, i):
                raise Untranslatable("regex set operation")
            out.append("\\]" if c == "]" else c)
            i += 1
        first = False
    raise Untranslatable("unclosed regex class")


# ---------------------------------------------------------------------------
# Extension functions
# ---------------------------------------------------------------------------

_REGEX_CACHE: dict[str, re.Pattern] = {}
#: Documents read by doc()/doc-available(), by path: (mtime or None when missing, tree, id index).
_DOCS: dict[str, tuple[int | None, etree._ElementTree | None, dict]] = {}
_DOCS_LOCK = threading.Lock()
#: Bumped whenever a document read by doc() changes on disk: memoised rule results are dropped.
_GENERATION = [0]
_RESOLVED: dict[tuple[str, str], str] = {}


_REFRESHED = [0.0]
_LISTINGS: dict[str, tuple[float, frozenset[str]]] = {}


def _is_file(path: str) -> bool:
    """Whether ``path`` is a file, from a listing of its folder read at most once a second.

    One ``scandir`` per folder instead of a ``stat`` per document (slow on
    network and virtual file systems).  A file that appeared in the last second
    reads as missing, which only sends its document to Saxon.
    """
    folder, name = os.path.split(os.path.abspath(path))
    now = time.monotonic()
    hit = _LISTINGS.get(folder)
    if hit is None or now - hit[0] > 1.0:
        try:
            names = frozenset(e.name for e in os.scandir(folder) if e.is_file())
        except OSError:
            names = frozenset()
        if len(_LISTINGS) > 64:
            _LISTINGS.clear()
        hit = _LISTINGS[folder] = (now, names)
    return name in hit[1]


def _refresh_docs() -> None:
    """Forget documents read by doc() that changed (or appeared) since they were read.

    Checked at most once a second: Saxon, too, reads such a document once per
    batch of files, not once per file.
    """
    now_s = time.monotonic()
    if now_s - _REFRESHED[0] < 1.0:
        return
    _REFRESHED[0] = now_s
    with _DOCS_LOCK:
        for path, (mtime, _tree, _index) in list(_DOCS.items()):
            try:
                now = os.stat(path).st_mtime_ns
            except OSError:
                now = None
            if now != mtime:
                del _DOCS[path]
                _GENERATION[0] += 1


def _string(value) -> str:
    """XPath string value of an extension function argument (string or node-set of 0/1 items)."""
    if isinstance(value, list):
        if not value:
            return ""
        if len(value) > 1:
            raise ValueError("a sequence where one item is expected")
        value = value[0]
    if isinstance(value, etree._Element):
        return _STRING_VALUE(value)
    return str(value)


_STRING_VALUE = etree.XPath("string()", regexp=False)


_HAS_XML_BASE = etree.XPath("boolean(//@xml:base)", regexp=False)
#: The document being screened (per thread): its root element and the base URI Saxon gives it.
_CURRENT = threading.local()


def file_uri(path: str) -> str:
    """The file: URI of a path as given (relative to the working folder; links not followed).

    The base URI Saxon is given for a document read from ``path``: the screen
    resolves relative references against the same one.  ``Path.as_uri`` percent-encodes
    byte by byte, so the folder's URI (worked out once per folder) plus the encoded
    name is the same string.
    """
    absolute = os.path.abspath(path)
    if os.name != "posix":  # pragma: no cover - drive letters and backslashes
        return Path(absolute).as_uri()
    folder, name = os.path.split(absolute)
    prefix = _URI_PREFIXES.get(folder)
    if prefix is None:
        if len(_URI_PREFIXES) > 256:
            _URI_PREFIXES.clear()
        prefix = Path(folder).as_uri()
        prefix = _URI_PREFIXES[folder] = prefix if prefix.endswith("/") else prefix + "/"
    return prefix + urllib.parse.quote_from_bytes(os.fsencode(name))


_URI_PREFIXES: dict[str, str] = {}

# urllib.request's url2pathname, without importing urllib.request (http, email and ssl:
# 17 ms a process): on POSIX it is unquote, on Windows nturl2path's.
if os.name == "nt":  # pragma: no cover
    from nturl2path import url2pathname as _url2pathname
else:
    _url2pathname = urllib.parse.unquote


def _uri_of_document(node) -> str:
    """The base URI Saxon gives the document of ``node`` (``file:`` + absolute path)."""
    tree = node.getroottree()
    root = tree.getroot()
    if getattr(_CURRENT, "root", None) is root:
        uri = _CURRENT.uri
        if uri is None:
            raise ValueError("the document has no file, so no base URI")
        if not _CURRENT.base_checked:
            if _HAS_XML_BASE(root):
                raise ValueError("xml:base is not modelled by the screen")
            _CURRENT.base_checked = True
        return uri
    # a document read by doc() (checked for xml:base when it was read)
    url = tree.docinfo.URL
    if not url or not os.path.isabs(url):
        raise ValueError("document without a base URI")
    return Path(url).as_uri()


def _ext_base_uri(_ctx, nodes):
    if isinstance(nodes, list):
        if len(nodes) != 1:
            raise ValueError("base-uri of a sequence")
        node = nodes[0]
    else:
        raise ValueError("base-uri of a non-node")
    if isinstance(node, str):  # an attribute value: its element
        node = node.getparent()
    return _uri_of_document(node)


def _ext_resolve_uri(_ctx, rel, base):
    rel, base = _string(rel), _string(base)
    hit = _RESOLVED.get((rel, base))
    if hit is None:
        if not base.startswith("file:"):
            raise ValueError("only file: bases are resolved by the screen")
        hit = _RESOLVED[(rel, base)] = urllib.parse.urljoin(base, rel)
    return hit


def _ext_resolve_here(_ctx, rel):
    rel = _string(rel)
    folder = getattr(_CURRENT, "folder", None)
    if folder is None or not rel or rel[0] in "#?":
        raise ValueError("resolve-uri against this document's own URI")
    hit = _RESOLVED.get((rel, folder))
    if hit is None:
        hit = _RESOLVED[(rel, folder)] = urllib.parse.urljoin(folder, rel)
    return hit


def _load(uri: str) -> tuple[etree._ElementTree | None, dict]:
    """The document at a file: URI (None when missing or refused), and its xml:id index."""
    parsed = urllib.parse.urlparse(uri)
    if parsed.scheme != "file" or parsed.query or parsed.fragment or parsed.netloc not in ("", "localhost"):
        raise ValueError("only plain file: URIs are read by the screen")
    path = _url2pathname(parsed.path)
    hit = _DOCS.get(path)
    if hit is not None:
        return hit[1], hit[2]
    try:
        mtime: int | None = os.stat(path).st_mtime_ns
    except OSError:
        mtime = None
    tree, index = None, {}
    if mtime is not None:
        from .security import parse_document

        tree, _refused = parse_document(os.path.abspath(path))
        if tree is not None:
            if _HAS_XML_BASE(tree):
                raise ValueError("xml:base is not modelled by the screen")
            for el in tree.getroot().iter(etree.Element):
                xid = el.get(f"{{{XML_NS}}}id")
                if xid is not None:
                    index.setdefault(xid, el)
    with _DOCS_LOCK:
        _DOCS[path] = (mtime, tree, index)
    return tree, index


def _ext_doc_available(_ctx, uri):
    return _load(_string(uri))[0] is not None


def _ext_doc(_ctx, uri):
    tree, _ = _load(_string(uri))
    if tree is None:
        raise ValueError("doc() of a missing document")
    return [tree.getroot()]


_ID_XPATH = etree.XPath("id($ids)", regexp=False)


def _ext_id(_ctx, ids, where):
    if isinstance(ids, list):
        tokens = " ".join(_string([v]) for v in ids)
    else:
        tokens = str(ids)
    if not isinstance(where, list) or len(where) != 1 or not isinstance(where[0], etree._Element):
        raise ValueError("id() needs one node of the target document")
    tree = where[0].getroottree()
    url = tree.docinfo.URL
    hit = _DOCS.get(url) if url else None
    if hit is not None and hit[1] is not None and hit[1].getroot() is tree.getroot():
        index = hit[2]  # a document read by doc(): its index, in document order
        found = {id(index[t]): index[t] for t in tokens.split() if t in index}
        if len(found) > 1:
            return _ID_XPATH(tree, ids=tokens)
        return list(found.values())
    return _ID_XPATH(tree, ids=tokens)


def _ext_matches(_ctx, value, pattern):
    rx = _REGEX_CACHE.get(pattern)
    if rx is None:
        rx = _REGEX_CACHE[pattern] = re.compile(pattern)
    return rx.search(_string(value)) is not None


def _ext_ends_with(_ctx, a, b):
    return _string(a).endswith(_string(b))


def _ext_string_join(_ctx, nodes, sep):
    return _string(sep).join(_string([n]) for n in nodes)


def _ext_count_distinct(_ctx, nodes):
    return float(len({_string([n]) for n in nodes}))


_INTEGER = re.compile(r"^[ \t\n\r]*[+-]?[0-9]+[ \t\n\r]*$")


def _ext_castable_integer(_ctx, value):
    if isinstance(value, list) and not value:
        return False
    return bool(_INTEGER.match(_string(value)))


def _ext_integer(_ctx, value):
    if isinstance(value, list) and not value:
        return float("nan")  # xs:integer(()) is (): every comparison with it is false
    return float(_xsd_integer(_string(value)))


def _xsd_integer(value: str) -> int:
    """``xs:integer(value)`` for an untyped value: whitespace collapsed, ASCII digits only
    (``int()`` would take other scripts' digits and underscores); ValueError when not castable."""
    if not _INTEGER.match(value):
        raise ValueError(f"xs:integer({value!r}) fails")
    return int(value.strip(" \t\n\r"))


def _register() -> None:
    ns = etree.FunctionNamespace(EXT_NS)
    ns.update({
        "base-uri": _ext_base_uri, "resolve-uri": _ext_resolve_uri, "resolve-here": _ext_resolve_here, "doc-available": _ext_doc_available,
        "doc": _ext_doc, "id": _ext_id, "matches": _ext_matches, "ends-with": _ext_ends_with,
        "string-join": _ext_string_join, "count-distinct": _ext_count_distinct,
        "castable-integer": _ext_castable_integer, "integer": _ext_integer,
    })


_register()


# ---------------------------------------------------------------------------
# Python forms of the simplest tests (no XPath call at all)
# ---------------------------------------------------------------------------
#
# Most rules test names of ancestors and attributes.  Such tests are also kept
# as small JSON-ready specs, run as Python closures on the lxml element:
#
#   ["attr", name]  ["attr-in", name, [values]]  ["axis", axis, key]
#   ["and", a, b]  ["or", a, b]  ["not", a]  ["matches", ["dot"] | ["attr", name], regex]
#   ["true"]  ["false"]
#
# ``key`` is a Clark tag, "{ns}*" or "*"; axis one of self, parent, ancestor,
# ancestor-or-self, child.  A pattern's spec is ["pattern", steps] (see _py_pattern).

_PY_AXES = {"self", "parent", "ancestor", "ancestor-or-self", "child", "following-sibling", "preceding-sibling"}


def _py_key(tok, namespaces: dict[str, str]) -> str | None:
    try:
        return _key(tok, namespaces)
    except (Untranslatable, IndexError, AttributeError):
        return None


def py_spec(tok, namespaces: dict[str, str]) -> list | None:
    """The spec of ``tok``'s effective boolean value, or None when it has none."""
    sym = tok.symbol
    if sym == "(" and len(tok) == 1:
        return py_spec(tok[0], namespaces)
    if sym in ("and", "or") and len(tok) == 2:
        a, b = py_spec(tok[0], namespaces), py_spec(tok[1], namespaces)
        return [sym, a, b] if a is not None and b is not None else None
    if sym in ("|", "union") and len(tok) == 2:
        a, b = py_spec(tok[0], namespaces), py_spec(tok[1], namespaces)
        return ["or", a, b] if a is not None and b is not None else None
    if sym in ("not", "boolean", "exists", "empty") and len(tok) == 1 and tok.label == "function":
        a = py_spec(tok[0], namespaces)
        if a is None or (sym in ("exists", "empty") and a[0] not in ("attr", "axis", "or", "exists")):
            return None
        return ["not", a] if sym in ("not", "empty") else a
    if sym in ("true", "false") and len(tok) == 0 and tok.label == "function":
        return [sym]
    attr = _attr_name(tok, namespaces)
    if attr is not None:
        return ["attr", attr]
    if tok.label == "axis" and sym in _PY_AXES and len(tok) == 1:
        key = _py_key(tok[0], namespaces)
        return ["axis", sym, key] if key else None
    if sym in ("(name)", ":") and (sym == "(name)" or tok[1].symbol in ("(name)", "*")):
        key = _py_key(tok, namespaces)
        return ["axis", "child", key] if key else None
    if sym in ("=", "eq") and len(tok) == 2:
        for a, b in ((tok[0], tok[1]), (tok[1], tok[0])):
            spec = _py_comparison(a, b, sym, namespaces)
            if spec is not None:
                return spec
        return None
    if sym == "every" and len(tok) == 3 and _var_name(tok[0]) and _var_name(tok[1]):
        item = _py_item(tok[2], _var_name(tok[0]), namespaces)
        return ["var-every", _var_name(tok[1]), item] if item is not None else None
    if sym == "matches" and len(tok) == 2 and tok[1].symbol == "(string)":
        if tok[0].symbol == ".":
            src = ["dot"]
        else:
            name = _attr_name(tok[0], namespaces)
            if name is None:
                return None
            src = ["attr", name]
        try:
            return ["matches", src, translate_regex(tok[1].value)]
        except Untranslatable:
            return None
    steps = _py_path(tok, namespaces)
    return ["exists", steps] if steps is not None else None


def _is_own_name(tok) -> bool:
    """``name(.)`` or ``name()``: the QName of the context node."""
    return tok.symbol == "name" and tok.label == "function" and (len(tok) == 0 or (len(tok) == 1 and tok[0].symbol == "."))


def _py_comparison(a, b, sym: str, namespaces: dict[str, str]) -> list | None:
    """``a = b`` / ``a eq b`` as a spec: ``b`` a literal (or a sequence of them for ``=``)."""
    if _is_own_name(a) and b.symbol == "$" and len(b) == 1:
        return ["name-is-var", b[0].value]  # only meaningful once bound (see _bind_lets)
    values = _literals(b)
    if values is not None and (sym == "=" or len(values) == 1):
        name = _attr_name(a, namespaces)
        if name is not None:
            return ["attr-in", name, values]
        if a.symbol == "normalize-space" and a.label == "function" and len(a) <= 1:
            if len(a) == 0 or a[0].symbol == ".":  # the context's string value
                return ["dot-norm-in", values]
            name = _attr_name(a[0], namespaces)
            if name is not None:
                return ["attr-norm-in", name, values]
        # string-join(path/@name, 'sep') = 'literal' (XPath 2: atomised in document order)
        if (a.symbol == "string-join" and a.label == "function" and len(a) == 2 and len(values) == 1
                and a[1].symbol == "(string)" and a[0].symbol == "/" and len(a[0]) == 2):
            name = _attr_name(a[0][1], namespaces)
            steps = _py_path(a[0][0], namespaces, ordered=True)
            if name is not None and steps is not None:
                return ["join-eq", steps, name, a[1].value, values[0]]
    if (a.symbol == "count" and a.label == "function" and len(a) == 1 and a[0].symbol == "distinct-values"
            and len(a[0]) == 1 and _var_name(a[0][0]) and b.symbol == "count" and b.label == "function"
            and len(b) == 1 and _var_name(b[0]) == _var_name(a[0][0])):
        return ["var-all-distinct", _var_name(b[0])]
    if a.symbol == "count" and a.label == "function" and len(a) == 1 and b.symbol == "(integer)":
        steps = _py_path(a[0], namespaces)
        if steps is not None:
            return ["count-eq", steps, int(b.value)]
    return None


def _var_name(tok) -> str | None:
    return tok[0].value if tok.symbol == "$" and len(tok) == 1 else None


_XS = "http://www.w3.org/2001/XMLSchema"
_COMPARISONS = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">=",
                "=": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def _is_xs_integer(tok, namespaces: dict[str, str], *, call: bool) -> bool:
    """``xs:integer`` (a type name) or, with ``call``, ``xs:integer(...)`` (a constructor)."""
    if tok.symbol != ":" or len(tok) != 2 or namespaces.get(tok[0].value) != _XS:
        return False
    name = tok[1]
    return name.value == "integer" and (len(name) == 1) == call


def _py_item(tok, var: str, namespaces: dict[str, str]) -> list | None:
    """A spec on one item ``$var`` of a sequence of attribute values (``every`` bodies):
    ["castable-int"], ["int-cmp", op, ["lit", n] | ["var-count", v]], and/or/not."""
    sym = tok.symbol
    if sym == "(" and len(tok) == 1:
        return _py_item(tok[0], var, namespaces)
    if sym in ("and", "or") and len(tok) == 2:
        a, b = _py_item(tok[0], var, namespaces), _py_item(tok[1], var, namespaces)
        return [sym, a, b] if a is not None and b is not None else None
    if sym == "not" and tok.label == "function" and len(tok) == 1:
        a = _py_item(tok[0], var, namespaces)
        return ["not", a] if a is not None else None
    if sym == "castable" and len(tok) == 2 and _var_name(tok[0]) == var and _is_xs_integer(tok[1], namespaces, call=False):
        return ["castable-int"]
    if sym in _COMPARISONS and len(tok) == 2:
        left, right = tok[0], tok[1]
        if not (_is_xs_integer(left, namespaces, call=True) and _var_name(left[1][0]) == var):
            return None
        if right.symbol == "(integer)":
            return ["int-cmp", _COMPARISONS[sym], ["lit", int(right.value)]]
        if right.symbol == "count" and right.label == "function" and len(right) == 1 and _var_name(right[0]):
            return ["int-cmp", _COMPARISONS[sym], ["var-count", _var_name(right[0])]]
    return None


def _value_let(tok, namespaces: dict[str, str]) -> list | None:
    """``PATH/@name`` as ["attr-values", steps, name]: the values, one per node carrying it."""
    if tok.symbol != "/" or len(tok) != 2:
        return None
    name = _attr_name(tok[1], namespaces)
    steps = _py_path(tok[0], namespaces) if name is not None else None
    return ["attr-values", steps, name] if steps is not None else None


#: Axes a path step may take: the first step any of these, later steps ``child`` (or steps
#: that give at most one node for each) only, so that no node is reached twice (counts are
#: exact) ...  ("child-first" is ``child::x[1]``.)
_PATH_FIRST = {"child", "child-first", "parent", "self", "ancestor", "following-sibling", "preceding-sibling",
               "descendant"}
_PATH_LATER = {"child", "child-first", "self"}
#: ... and, for ``string-join``, only these first, so that the nodes come in document order.
_PATH_ORDERED = {"child", "child-first", "parent", "self", "following-sibling"}


def _py_path(tok, namespaces: dict[str, str], *, ordered: bool = False) -> list | None:
    """A relative path as steps ``[axis, key, [predicate specs]]``, or None."""
    if tok.symbol == "/" and len(tok) == 2:
        left, right = _py_path(tok[0], namespaces, ordered=ordered), _py_step(tok[1], namespaces)
        if left is None or right is None or right[0] not in _PATH_LATER:
            return None
        return left + [right]
    if tok.symbol == "//" and len(tok) == 2 and tok[0].symbol == "." and not ordered:
        step = _py_step(tok[1], namespaces)  # .//x[p] is descendant::x[p] (predicates are not positional)
        return [["descendant", *step[1:]]] if step is not None and step[0] == "child" else None
    step = _py_step(tok, namespaces)
    if step is None or step[0] not in (_PATH_ORDERED if ordered else _PATH_FIRST):
        return None
    return [step]


def _py_step(tok, namespaces: dict[str, str]) -> list | None:
    preds = []
    while tok.symbol == "[" and len(tok) == 2:
        preds.insert(0, tok[1])
        tok = tok[0]
    if tok.symbol == ".." and len(tok) == 0:
        axis, key = "parent", "*"
    elif tok.label == "axis" and len(tok) == 1:
        axis, key = tok.symbol, _py_key(tok[0], namespaces)
    elif tok.symbol in ("(name)", ":") and (tok.symbol == "(name)" or tok[1].symbol in ("(name)", "*")):
        axis, key = "child", _py_key(tok, namespaces)
    else:
        return None
    if axis == "child" and preds and preds[0].symbol == "(integer)" and preds[0].value == 1:
        axis, preds = "child-first", preds[1:]  # child::x[1]: the first x child (a later [p] filters it)
    specs = [py_spec(p, namespaces) for p in preds]
    if key is None or any(sp is None for sp in specs):
        return None
    return [axis, key, specs]


def py_value(tok, namespaces: dict[str, str]) -> list | None:
    """A spec for a string-valued let: ["attr-value", name], ["substring-before"|"substring-after", spec, lit]."""
    name = _attr_name(tok, namespaces)
    if name is not None:
        return ["attr-value", name]
    if tok.symbol in ("substring-before", "substring-after") and len(tok) == 2 and tok[1].symbol == "(string)":
        inner = py_value(tok[0], namespaces)
        return [tok.symbol, inner, tok[1].value] if inner is not None else None
    if tok.symbol == "string" and len(tok) == 1 and tok.label == "function":
        return py_value(tok[0], namespaces)
    return None


def build_value(spec: list) -> Callable[[etree._Element], str]:
    """A closure computing a string spec on an element (XPath 1.0 string semantics)."""
    op = spec[0]
    if op == "attr-value":
        name = spec[1]
        return lambda el: el.get(name, "")
    inner, lit = build_value(spec[1]), spec[2]
    if op == "substring-before":
        return lambda el: v[:v.find(lit)] if lit and (v := inner(el)).find(lit) >= 0 else ""
    if op == "substring-after":
        if not lit:
            return inner
        return lambda el: v[i + len(lit):] if (i := (v := inner(el)).find(lit)) >= 0 else ""
    raise ValueError(f"unknown screen value spec {op!r}")


def _literals(tok) -> list[str] | None:
    if tok.symbol == "(string)":
        return [tok.value]
    if tok.symbol == "(" and len(tok) == 1:
        return _literals(tok[0])
    if tok.symbol == ",":
        out: list[str] = []
        for child in tok:
            part = _literals(child)
            if part is None:
                return None
            out += part
        return out
    return None


def _key_test(key: str) -> Callable[[object], bool]:
    if key == "*":
        return lambda el: isinstance(el.tag, str)
    if key.endswith("}*"):
        prefix = key[:-1]
        return lambda el: isinstance(el.tag, str) and el.tag.startswith(prefix)
    return lambda el: el.tag == key


def build_py(spec: list) -> Callable[[etree._Element], bool]:
    """A closure evaluating ``spec`` on an element."""
    op = spec[0]
    if op == "true":
        return lambda el: True
    if op == "false":
        return lambda el: False
    if op == "attr":
        name = spec[1]
        return lambda el: el.get(name) is not None
    if op == "attr-in":
        name, values = spec[1], frozenset(spec[2])
        return lambda el: el.get(name) in values
    if op == "not":
        inner = build_py(spec[1])
        return lambda el: not inner(el)
    if op == "or":
        merged = _merged_axes(spec)
        if merged is not None:
            return merged
    if op in ("and", "or"):
        a, b = build_py(spec[1]), build_py(spec[2])
        return (lambda el: a(el) and b(el)) if op == "and" else (lambda el: a(el) or b(el))
    if op == "matches":
        rx = re.compile(spec[2])
        if spec[1][0] == "dot":  # the string value: the element's text when it has no children
            return lambda el: rx.search(_string_value(el)) is not None
        name = spec[1][1]
        return lambda el: rx.search(el.get(name, "")) is not None
    if op == "axis":
        axis, key = spec[1], spec[2]
        test = _key_test(key)
        if axis == "self":
            return test
        if axis == "parent":
            return lambda el: (p := el.getparent()) is not None and test(p)
        if axis == "child":  # lxml filters by "{ns}local", "{ns}*" or "*" in C
            return lambda el: next(el.iterchildren(key), None) is not None
        if axis == "ancestor":
            return lambda el: next(el.iterancestors(key), None) is not None
        if axis == "following-sibling":
            return lambda el: next(el.itersiblings(key), None) is not None
        if axis == "preceding-sibling":
            return lambda el: next(el.itersiblings(key, preceding=True), None) is not None
        return lambda el: test(el) or next(el.iterancestors(key), None) is not None
    if op == "pattern":
        return _build_pattern(spec[1])
    if op == "attr-norm-in":
        name, values = spec[1], frozenset(spec[2])
        return lambda el: _XML_SPACE.sub(" ", el.get(name, "")).strip(" ") in values
    if op == "dot-norm-in":
        values = frozenset(spec[1])
        return lambda el: _XML_SPACE.sub(" ", _string_value(el)).strip(" ") in values
    if op == "sibling-same-name":
        preceding = spec[1] == "preceding-sibling"

        def same_name(el: etree._Element) -> bool:
            name = _qname(el)
            return any(_qname(s) == name for s in el.itersiblings("*", preceding=preceding))

        return same_name
    if op == "values-all-distinct":
        values = _build_values(spec[1])
        return lambda el: len(set(v := values(el))) == len(v)
    if op == "values-every":
        values, item = _build_values(spec[1]), _build_item(spec[2])

        def every(el: etree._Element) -> bool:
            known: dict = {}  # counts the items compare with, worked out once
            return all(item(x, el, known) for x in values(el))

        return every
    if op in ("exists", "count-eq", "join-eq"):
        nodes = _build_path(spec[1])
        if op == "exists":
            return lambda el: bool(nodes(el))
        if op == "count-eq":
            n = spec[2]
            return lambda el: len(nodes(el)) == n
        name, sep, lit = spec[2], spec[3], spec[4]
        return lambda el: sep.join(v for node in nodes(el) if (v := node.get(name)) is not None) == lit
    raise ValueError(f"unknown screen spec {op!r}")


def _string_value(el: etree._Element) -> str:
    """XPath's string value of an element: its text when it has no children, else all its
    descendants' text (comments' and processing instructions' content left out)."""
    return el.text or "" if not len(el) else "".join(el.itertext())


def _qname(el: etree._Element) -> str:
    """What XPath's name() gives for an element: its name as written, prefix and all."""
    local = el.tag.rpartition("}")[2]
    return f"{el.prefix}:{local}" if el.prefix else local


def _build_values(spec: list) -> Callable[[etree._Element], list[str]]:
    """["attr-values", steps, name]: the values of ``name`` on the nodes of the path.

    A rule names its let several times (``count($n)``, ``every $x in $n``): while a
    document is screened, the values are worked out once per element.
    """
    nodes, name = _build_path(spec[1]), spec[2]
    key = json.dumps(spec)

    def values(el: etree._Element) -> list[str]:
        memo = getattr(_CURRENT, "values", None)
        found = memo.get((key, el)) if memo is not None else None
        if found is None:
            found = [v for node in nodes(el) if (v := node.get(name)) is not None]
            if memo is not None:
                memo[(key, el)] = found
        return found

    return values


def _build_item(spec: list) -> Callable:
    """A closure ``(value, element, known) -> bool`` for an item spec (see :func:`_py_item`)."""
    op = spec[0]
    if op in ("and", "or"):
        a, b = _build_item(spec[1]), _build_item(spec[2])
        if op == "and":
            return lambda x, el, known: a(x, el, known) and b(x, el, known)
        return lambda x, el, known: a(x, el, known) or b(x, el, known)
    if op == "not":
        inner = _build_item(spec[1])
        return lambda x, el, known: not inner(x, el, known)
    if op == "castable-int":
        return lambda x, el, known: _INTEGER.match(x) is not None
    if op == "int-cmp":
        compare = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
                   ">": operator.gt, ">=": operator.ge}[spec[1]]
        rhs = spec[2]
        if rhs[0] == "lit":
            n = rhs[1]
            return lambda x, el, known: compare(_xsd_integer(x), n)
        values, key = _build_values(rhs[1]), id(rhs)

        def against_count(x: str, el: etree._Element, known: dict) -> bool:
            if key not in known:
                known[key] = len(values(el))
            return compare(_xsd_integer(x), known[key])

        return against_count
    raise ValueError(f"unknown screen item spec {op!r}")


#: XML's whitespace, what normalize-space() collapses (Python's str.split() takes more).
_XML_SPACE = re.compile("[ \t\r\n]+")


class _DocumentNode(Exception):
    """A path stepped from the root element to the document node: the screen is unsure."""


def _build_path(steps: list) -> Callable[[etree._Element], list]:
    """The nodes a path spec selects from an element (no duplicates; in document order when
    the path was built with ``ordered``)."""
    compiled = [(axis, key, _key_test(key), [build_py(p) for p in preds]) for axis, key, preds in steps]

    def nodes(el: etree._Element) -> list:
        current = [el]
        for axis, key, test, preds in compiled:
            found = []
            for node in current:
                if axis == "child":
                    candidates = node.iterchildren(key)
                elif axis == "child-first":
                    candidates = _first_child(node, key)
                elif axis == "parent":
                    candidates = [p for p in _parent_step(node) if test(p)]
                elif axis == "self":
                    candidates = (node,) if test(node) else ()
                elif axis == "ancestor":
                    candidates = node.iterancestors(key)
                elif axis == "descendant":
                    candidates = node.iterdescendants(key)
                else:
                    candidates = node.itersiblings(key, preceding=axis == "preceding-sibling")
                found += [c for c in candidates if all(p(c) for p in preds)] if preds else candidates
            current = found
        return current

    return nodes


def _or_leaves(spec: list) -> list[list]:
    return _or_leaves(spec[1]) + _or_leaves(spec[2]) if spec[0] == "or" else [spec]


def _merged_axes(spec: list) -> Callable[[etree._Element], bool] | None:
    """``ancestor::a or ancestor::b or parent::c ...`` as one C-filtered call per axis."""
    leaves = _or_leaves(spec)
    if not all(leaf[0] == "axis" and leaf[1] in ("ancestor", "parent") for leaf in leaves):
        return None
    ancestors = tuple(leaf[2] for leaf in leaves if leaf[1] == "ancestor")
    parents = [leaf[2] for leaf in leaves if leaf[1] == "parent"]
    if any(k.endswith("*") for k in parents):
        return None
    parent_tags = frozenset(parents)

    def test(el: etree._Element) -> bool:
        if parent_tags:
            parent = el.getparent()
            if parent is not None and parent.tag in parent_tags:
                return True
        return bool(ancestors) and next(el.iterancestors(*ancestors), None) is not None

    return test


def _py_pattern(tok, namespaces: dict[str, str]) -> list | None:
    """A pattern as steps, last first: [[key, [pred specs], link]] with link "/", "//", "abs" or ""."""
    steps: list = []
    while True:
        if tok.symbol in ("/", "//") and len(tok) == 2:
            step_tok, next_link = tok[1], tok.symbol
            tok_left = tok[0]
        elif tok.symbol in ("/", "//") and len(tok) == 1:
            step_tok, next_link, tok_left = tok[0], ("abs" if tok.symbol == "/" else ""), None
        else:
            step_tok, next_link, tok_left = tok, "", None
        try:
            test_tok, preds = _split_step(step_tok)
        except Untranslatable:
            return None
        key = _py_key(test_tok, namespaces)
        specs = [py_spec(p, namespaces) for p in preds]
        if key is None or any(sp is None for sp in specs):
            return None
        steps.append([key, specs, next_link])
        if tok_left is None:
            return steps
        tok = tok_left


def _build_pattern(steps: list) -> Callable[[etree._Element], bool]:
    def step_ok(i: int, el) -> bool:
        link = steps[i][2]
        if not tests[i](el) or not all(p(el) for p in pred_fns[i]):
            return False
        if link == "":
            return True
        if link == "abs":
            return el.getparent() is None
        if link == "/":
            parent = el.getparent()
            return parent is not None and step_ok(i + 1, parent)
        # "//": ancestors with the next step's name (lxml filters by name in C)
        return any(step_ok(i + 1, a) for a in el.iterancestors(steps[i + 1][0]))

    tests = [_key_test(k) for k, _, _ in steps]
    pred_fns = [[build_py(p) for p in preds] for _, preds, _ in steps]
    return lambda el: step_ok(0, el)


# ---------------------------------------------------------------------------
# Rules and the screen
# ---------------------------------------------------------------------------

@dataclass
class Rule:
    """One rule as the screen runs it (plain data: cached as JSON, XPath compiled on use)."""

    key: str  # "{ns}local", "{ns}*" or "*"
    guards: list[str]  # attribute names (Clark) one of which a candidate must carry; [] = none
    match: str | None  # XPath 1.0 boolean on the candidate; None = key and guards decide
    lets: list[tuple[str, str]]  # (variable, XPath) evaluated in order, passed to later ones
    fire: str | None  # XPath 1.0 boolean: some check may fire; None = unknown (always may)
    match_py: list | None = None  # the same as Python specs (see py_spec), when they exist
    fire_py: list | None = None
    lets_py: list | None = None  # [(variable, value spec)] for every let, when each has one
    #: ``fire`` depends on the let values and the document's URI only: results are memoised.
    memo: bool = False

    def to_json(self) -> dict:
        return {"key": self.key, "guards": self.guards, "match": self.match,
                "lets": [list(x) for x in self.lets], "fire": self.fire,
                "match_py": self.match_py, "fire_py": self.fire_py,
                "lets_py": self.lets_py, "memo": self.memo}

    @classmethod
    def from_json(cls, data: dict) -> Rule:
        return cls(data["key"], list(data["guards"]), data["match"],
                   [tuple(x) for x in data["lets"]], data["fire"], data.get("match_py"), data.get("fire_py"),
                   data.get("lets_py"), data.get("memo", False))


class _Compiled:
    """A rule ready to run: closures where specs exist, compiled XPath otherwise."""

    __slots__ = ("rule", "guards", "vguard", "match", "lets", "fire", "unknown", "memo", "memo_gen", "by_folder")

    def __init__(self, rule: Rule, namespaces: dict[str, str]) -> None:
        def xp(text: str) -> Callable:
            return etree.XPath(text, namespaces=namespaces, smart_strings=False, regexp=False)

        self.rule = rule
        self.guards = frozenset(rule.guards)
        self.match = build_py(rule.match_py) if rule.match_py else xp(rule.match) if rule.match else None
        # tei:idno[@type='fond']: an attribute value decides the match
        self.vguard: tuple[str, frozenset[str]] | None = None
        mp = rule.match_py
        if mp and len(mp[1]) == 1 and mp[1][0][2] == "" and len(mp[1][0][1]) == 1 and mp[1][0][1][0][0] == "attr-in":
            _, attr, values = mp[1][0][1][0]
            self.vguard, self.match = (attr, frozenset(values)), None
        if rule.lets_py is not None:
            self.lets = [(name, _no_kwargs(build_value(spec))) for name, spec in rule.lets_py]
        else:
            self.lets = [(name, xp(text)) for name, text in rule.lets]
        self.unknown = rule.fire is None
        if rule.fire_py is not None:
            self.fire, self.lets = build_py(rule.fire_py), []
        else:
            self.fire = xp(rule.fire) if rule.fire else None
        self.memo: dict | None = {} if rule.memo and self.lets else None
        # results depend on the document's folder only, unless the rule asks for its whole URI
        self.by_folder = f"{EXT}:base-uri(" not in (rule.fire or "")
        self.memo_gen = _GENERATION[0]

    def fires(self, el: etree._Element) -> bool:
        """The rule's fire condition on an element it matches (with lets)."""
        values: dict = {}
        for name, fn in self.lets:
            values[name] = fn(el, **values)
        if self.memo is None:
            return bool(self.fire(el, **values))
        if self.memo_gen != _GENERATION[0]:
            self.memo.clear()
            self.memo_gen = _GENERATION[0]
        key = (_CURRENT.folder if self.by_folder else _CURRENT.uri, *values.values())
        hit = self.memo.get(key)
        if hit is None:
            hit = self.memo[key] = bool(self.fire(el, **values))
        return hit


def _no_kwargs(fn: Callable[[etree._Element], str]) -> Callable:
    return lambda el, **_values: fn(el)


class Screen:
    """``may_fire(tree)``: False only when no check of the schema can fire on the document."""

    def __init__(self, patterns: list[list[Rule]], namespaces: dict[str, str]) -> None:
        self.patterns = patterns
        self.namespaces = dict(namespaces)
        self._compiled: list[list[_Compiled]] | None = None
        self._checkers: _Checkers = _Checkers([])
        self._generation = -1

    # -- persistence ---------------------------------------------------------
    def to_json(self) -> dict:
        return {"namespaces": self.namespaces, "patterns": [[r.to_json() for r in p] for p in self.patterns]}

    @classmethod
    def from_json(cls, data: dict) -> Screen:
        return cls([[Rule.from_json(r) for r in p] for p in data["patterns"]], data["namespaces"])

    # -- running ------------------------------------------------------------
    def _prepare(self) -> None:
        if self._compiled is None or self._generation != Process.generation:
            ns = dict(self.namespaces, **{EXT: EXT_NS})
            self._compiled = [[_Compiled(r, ns) for r in p] for p in self.patterns]
            self._checkers = _Checkers(self._compiled)
            self._generation = Process.generation

    def may_fire(self, tree: etree._ElementTree | etree._Element, file: str | None = None, *,
                 read_from_file: bool = False) -> bool:
        """True unless it is proved that no assert/report fires and no rule fails on ``tree``.

        ``file`` is the document's file, whose URI is its base URI as Saxon sees it
        (None or a missing file: no base URI, and rules that need one are unsure);
        ``read_from_file``: the caller has just parsed ``tree`` from ``file``, so it
        exists and is not looked up again.
        """
        self._prepare()
        root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
        _CURRENT.root = root
        if file:
            file = os.path.abspath(file)  # once: each abspath of a relative path asks for the working folder
        uri = _CURRENT.uri = file_uri(file) if file and (read_from_file or _is_file(file)) else None
        _CURRENT.folder = uri[:uri.rfind("/") + 1] if uri else None
        _CURRENT.base_checked = False
        _CURRENT.values = {}
        checkers = self._checkers
        if _DOCS:
            _refresh_docs()
        try:
            for el in root.iter(etree.Element):
                check = checkers[el.tag]
                if check is not None and check(el):
                    return True
        except Exception:  # noqa: BLE001 - any failure means "unsure": Saxon decides
            return True
        finally:
            _CURRENT.root = _CURRENT.uri = _CURRENT.folder = _CURRENT.values = None
        return False


class _Checkers(dict):
    """Element name -> the generated function trying every rule that can match it (None: none can).

    Built on first sight of a name: the rules whose dispatch key can match the
    name, pattern by pattern, as one Python function (:func:`_generate`).
    """

    def __init__(self, compiled: list[list[_Compiled]]) -> None:
        super().__init__()
        self.compiled = compiled

    def __missing__(self, tag: str) -> Callable[[etree._Element], bool] | None:
        check = self[tag] = _generate(tag, self.compiled)
        return check


def _generate(tag: str, compiled: list[list[_Compiled]]) -> Callable[[etree._Element], bool] | None:
    """One function testing, on an element named ``tag``, whether some pattern may fire.

    Patterns are independent (any may fire); within a pattern the first rule
    whose context matches is the only one tried, as in Schematron.  Each rule
    becomes ``if <guards and context>: if <test>: return True`` chained with
    ``elif``; the specs of :func:`py_spec` are written inline, compiled XPath and
    rules with lets are called.  Patterns all of whose rules need the same one
    attribute (``tei:*[@when]``, ``tei:idno[@type='fond']``) go to a function per
    attribute, called for the attributes the element carries; patterns whose
    rules need one of several attributes sit behind one check that the element
    carries any of them.
    """
    ns = tag[1:].split("}", 1)[0] if tag.startswith("{") else ""
    keys = {tag, f"{{{ns}}}*", "*"}
    env: dict[str, object] = {}

    def bind(obj: object) -> str:
        name = f"_g{len(env)}"
        env[name] = obj
        return name

    plain: list[str] = []
    guarded: list[str] = []
    by_attr: dict[str, list[str]] = {}
    valued: set[str] = set()  # attributes whose value some rule tests (tei:idno[@type='fond'])
    all_guards: set[str] = set()
    uses_keys = False
    for rules in compiled:
        mine = [c for c in rules if c.rule.key in keys]
        if not mine:
            continue
        (attr,) = mine[0].guards if len(mine[0].guards) == 1 else (None,)
        if attr is not None and all(c.guards == {attr} for c in mine):
            by_attr.setdefault(attr, []).extend(_pattern_lines(mine, bind, attr))
            valued.update(c.vguard[0] for c in mine if c.vguard and c.vguard[0] == attr)
        elif all(c.guards for c in mine):
            all_guards.update(*(c.guards for c in mine))
            guarded += _pattern_lines(mine, bind)
        else:
            plain += _pattern_lines(mine, bind)
            uses_keys = uses_keys or any(c.guards for c in mine)
    if not (plain or guarded or by_attr):
        return None
    dispatch: dict[str, Callable] = {}
    for attr, lines in sorted(by_attr.items()):
        body = ["def on_attribute(el):"] + ([f"    V = el.get({attr!r})"] if attr in valued else [])
        body += ["    " + line for line in lines] + ["    return False"]
        dispatch[attr] = _compiled_function(body, f"<screen {tag} @{attr}>", env, "on_attribute")
    body = ["def check(el):"]
    if uses_keys or guarded or dispatch:
        body.append("    K = el.keys()")
    body += ["    " + line for line in plain]
    if guarded:
        body.append(f"    if not {bind(frozenset(all_guards))}.isdisjoint(K):")
        body += ["        " + line for line in guarded]
    if dispatch:
        body += ["    for name in K:", f"        on = {bind(dispatch)}.get(name)",
                 "        if on is not None and on(el):", "            return True"]
    body.append("    return False")
    return _compiled_function(body, f"<screen {tag}>", env, "check")


def _compiled_function(body: list[str], name: str, env: dict, function: str) -> Callable:
    """The function ``function`` defined by the lines ``body``, its globals ``env``.

    Most element names get the same text (att.global's rules on each attribute, bound to
    the same names): it is compiled once per process and each name's function made from
    the one code object with its own globals.
    """
    text = "\n".join(body) + "\n"
    code = _CODE.get(text)
    if code is None:
        code = _CODE[text] = compile(text, name, "exec")
    exec(code, env)  # noqa: S102 - our own code
    return env.pop(function)  # type: ignore[return-value]


#: Generated code by its text (see :func:`_compiled_function`).
_CODE: dict[str, types.CodeType] = {}


def _pattern_lines(rules: list[_Compiled], bind: Callable[[object], str], attr: str | None = None) -> list[str]:
    """A pattern's rules as an if/elif chain (``attr``: the one attribute all of them need,
    present on the element and its value in ``V``)."""
    lines: list[str] = []
    for i, c in enumerate(rules):
        cond = _rule_condition(c, bind, attr)
        lines.append(f"{'if' if i == 0 else 'elif'} {cond}:")
        lines.append(f"    if {_rule_test(c, bind)}:")
        lines.append("        return True")
        if cond == "True":
            break  # later rules of the pattern can never be reached
    return lines


def _rule_condition(c: _Compiled, bind: Callable[[object], str], attr: str | None = None) -> str:
    """Python for "the rule's context matches ``el``" (its name already matched; ``attr``:
    the attribute it needs is known to be present, its value in ``V``)."""
    parts = []
    if c.guards and attr is None:
        parts.append("(" + " or ".join(f"{g!r} in K" for g in sorted(c.guards)) + ")")
    if c.vguard:
        value = "V" if c.vguard[0] == attr else f"el.get({c.vguard[0]!r})"
        parts.append(f"{value} in {bind(c.vguard[1])}")
    if c.match is not None:
        spec = c.rule.match_py
        parts.append(_py_expr(spec, bind) if spec else f"{bind(c.match)}(el)")
    return " and ".join(parts) or "True"


def _rule_test(c: _Compiled, bind: Callable[[object], str]) -> str:
    """Python for "some assert or report of the rule may fire on ``el``"."""
    if c.unknown:
        return "True"
    if c.rule.fire_py is not None:
        return _py_expr(c.rule.fire_py, bind)
    return f"{bind(c.fires if c.lets else c.fire)}(el)"


def _py_expr(spec: list, bind: Callable[[object], str], v: str = "el") -> str:
    """``spec`` (see :func:`py_spec`) as a Python expression on the element in variable ``v``:
    what :func:`build_py` computes, with the common cases written out."""
    op = spec[0]
    if op in ("true", "false"):
        return op.capitalize()
    if op == "attr":
        return f"({v}.get({spec[1]!r}) is not None)"
    if op == "attr-in":
        return f"({v}.get({spec[1]!r}) in {bind(frozenset(spec[2]))})"
    if op == "not":
        return f"(not {_py_expr(spec[1], bind, v)})"
    if op == "and" or (op == "or" and _merged_axes(spec) is None):
        return f"({_py_expr(spec[1], bind, v)} {op} {_py_expr(spec[2], bind, v)})"
    if op == "axis":
        axis, key = spec[1], spec[2]
        if axis == "self":
            return _tag_test(key, v)
        method = _AXIS_ITERATORS.get(axis)  # (ancestor-or-self: the closure below)
        if method:
            return f"(next({v}.{method.format(k=repr(key))}, None) is not None)"
    if op == "pattern":
        return _pattern_expr(spec[1], 0, v, bind)
    if op == "matches":  # of the string value (the element's text when it has no children) or an attribute
        value = _string_value_code(v) if spec[1][0] == "dot" else f"{v}.get({spec[1][1]!r}, '')"
        return f"({bind(re.compile(spec[2]))}.search({value}) is not None)"
    if op in ("attr-norm-in", "dot-norm-in"):  # normalize-space(@a | .) = one of the values
        value = f"{v}.get({spec[1]!r}, '')" if op == "attr-norm-in" else _string_value_code(v)
        return f"({bind(_XML_SPACE)}.sub(' ', {value}).strip(' ') in {bind(frozenset(spec[-1]))})"
    if op == "exists":
        return f"any(True {_path_loops(spec[1], bind, v)})"
    if op == "count-eq":
        return f"(sum(1 {_path_loops(spec[1], bind, v)}) == {int(spec[2])})"
    return f"{bind(build_py(spec))}({v})"


#: The lxml iterator over each axis's nodes named ``{k}`` (filtered in C).
_AXIS_ITERATORS = {"child": "iterchildren({k})", "descendant": "iterdescendants({k})",
                   "ancestor": "iterancestors({k})", "following-sibling": "itersiblings({k})",
                   "preceding-sibling": "itersiblings({k}, preceding=True)"}


def _string_value_code(v: str) -> str:
    """Python for the string value of the element in ``v`` (see :func:`_string_value`)."""
    return f"({v}.text or '' if not len({v}) else ''.join({v}.itertext()))"


#: Names of the generated path loops' variables (unique within any generated function).
_PATH_VARS = itertools.count()


def _path_loops(steps: list, bind: Callable[[object], str], v: str) -> str:
    """A path spec (see :func:`_build_path`) as the ``for … if …`` clauses of a generator
    over the nodes it selects from the element in ``v``: what ``_build_path`` computes,
    without a list per step (a path's later steps are ``child`` steps: no node twice)."""
    clauses = []
    current = v
    for axis, key, preds in steps:
        var = f"_n{next(_PATH_VARS)}"
        conds = []
        if axis in ("self", "parent"):
            source = f"({current},)" if axis == "self" else f"{bind(_parent_step)}({current})"
            conds.append(_tag_test(key, var))
        elif axis == "child-first":
            source = f"{bind(_first_child)}({current}, {key!r})"
        else:
            source = f"{current}.{_AXIS_ITERATORS[axis].format(k=repr(key))}"
        conds += [_py_expr(p, bind, var) for p in preds]
        conds = [c for c in conds if c != "True"]
        clauses.append(f"for {var} in {source}" + (f" if {' and '.join(conds)}" if conds else ""))
        current = var
    return " ".join(clauses)


def _first_child(node: etree._Element, key: str) -> tuple:
    """``child::key[1]`` from ``node``: its first child named ``key`` (lxml's filter), if any."""
    first = next(node.iterchildren(key), None)
    return (first,) if first is not None else ()


def _parent_step(node: etree._Element) -> tuple[etree._Element]:
    """``parent::`` from ``node``: its parent element (the root's parent is the document node:
    the screen is unsure, as in :func:`_build_path`)."""
    parent = node.getparent()
    if parent is None:
        raise _DocumentNode
    return (parent,)


def _tag_test(key: str, v: str) -> str:
    """Python for "the element in ``v`` has a name ``key`` matches"."""
    if key == "*":
        return "True"
    if key.endswith("}*"):
        return f"{v}.tag.startswith({key[:-1]!r})"
    return f"({v}.tag == {key!r})"


def _pattern_expr(steps: list, i: int, v: str, bind: Callable[[object], str]) -> str:
    """A pattern's steps from ``i`` on (see :func:`_py_pattern`) as Python on ``v``: what
    :func:`_build_pattern` computes, one variable per step walked up."""
    key, preds, link = steps[i]
    parts = [_tag_test(key, v)] + [_py_expr(p, bind, v) for p in preds]
    up = f"_s{i + 1}"
    if link == "abs":
        parts.append(f"({v}.getparent() is None)")
    elif link == "/":
        parts.append(f"(({up} := {v}.getparent()) is not None and {_pattern_expr(steps, i + 1, up, bind)})")
    elif link == "//":
        next_key, next_preds, next_link = steps[i + 1]
        if not next_preds and next_link == "":
            parts.append(f"(next({v}.iterancestors({next_key!r}), None) is not None)")
        else:
            parts.append(f"any({_pattern_expr(steps, i + 1, up, bind)} for {up} in {v}.iterancestors({next_key!r}))")
    parts = [p for p in parts if p != "True"]
    return "(" + " and ".join(parts) + ")" if parts else "True"


# ---------------------------------------------------------------------------
# Compiling a schema's screen
# ---------------------------------------------------------------------------

_PARSE_ONLY: dict[str, type] = {}


def _parser(namespaces: dict[str, str], version: str = "2"):
    """An XPath parser (2.0, or 3.1 for the xslt3/xpath3 bindings) that only parses.

    elementpath's ``parse`` also evaluates the expression once ("static
    evaluation"), which may take a process-wide locale lock (collations); the
    screen never evaluates with elementpath, so it stops after building the tree.
    XPath 3.1 syntax under an xslt2 binding does not parse here: those rules are unsure.
    """
    cls = _PARSE_ONLY.get(version)
    if cls is None:
        if version == "3":
            from elementpath.xpath31 import XPath31Parser as Base  # (imports in ≈ 0.1 s)
        else:
            from elementpath import XPath2Parser as Base
        from elementpath.tdop import Parser as TdopParser

        class ParseOnly(Base):  # type: ignore[misc, valid-type]
            def parse(self, source: str):
                if self.tokenizer is None:
                    self.tokenizer = self.create_tokenizer(self.symbol_table)
                root = TdopParser.parse(self, source)
                if root.label in ("sequence type", "function test"):
                    raise root.error("XPST0003", "not allowed in XPath expression")
                return root

        cls = _PARSE_ONLY[version] = ParseOnly
    return cls(namespaces={k: v for k, v in namespaces.items() if k})


def _pattern_alternatives(tok) -> list:
    if tok.symbol in ("|", "union"):
        return _pattern_alternatives(tok[0]) + _pattern_alternatives(tok[1])
    return [tok]


def _split_step(tok):
    """A pattern step -> (node test token, [predicate tokens])."""
    preds = []
    while tok.symbol == "[":
        preds.insert(0, tok[1])
        tok = tok[0]
    if tok.symbol == "child" and tok.label == "axis":
        tok = tok[0]
    if tok.symbol not in ("(name)", "*", ":") and not (tok.symbol == "element" and len(tok) == 0):
        raise Untranslatable(f"pattern step {tok.symbol}")
    if tok.symbol == ":" and tok[1].symbol not in ("(name)", "*"):
        raise Untranslatable("function in a pattern")
    return tok, preds


def _key(test_tok, namespaces: dict[str, str]) -> str:
    sym = test_tok.symbol
    if sym == "(name)":
        return test_tok.value  # no namespace
    if sym == "*" or sym == "element":
        return "*"
    prefix, local = test_tok[0], test_tok[1]
    if prefix.symbol == "*":
        return "*"
    uri = namespaces.get(prefix.value)
    if uri is None:
        raise Untranslatable("undeclared prefix in a pattern")
    return f"{{{uri}}}*" if local.symbol == "*" else f"{{{uri}}}{local.value}"


def _attr_name(tok, namespaces: dict[str, str]) -> str | None:
    if tok.symbol != "@" or len(tok) != 1:
        return None
    name = tok[0]
    if name.symbol == "(name)":
        return name.value
    if name.symbol == ":" and name[0].symbol == "(name)" and name[1].symbol == "(name)":
        prefix = name[0].value
        uri = XML_NS if prefix == "xml" else namespaces.get(prefix)
        return f"{{{uri}}}{name[1].value}" if uri else None
    return None


def _guard(pred, namespaces: dict[str, str]) -> str | None:
    """An attribute every node satisfying ``pred`` carries, if the predicate says so plainly."""
    name = _attr_name(pred, namespaces)
    if name:
        return name
    if pred.symbol == "and":
        return _guard(pred[0], namespaces) or _guard(pred[1], namespaces)
    if pred.symbol in ("=", "eq") and len(pred) == 2:
        return _attr_name(pred[0], namespaces) or _attr_name(pred[1], namespaces)
    if pred.symbol in ("starts-with", "contains") and len(pred) == 2 and pred[1].symbol == "(string)" and pred[1].value:
        return _attr_name(pred[0], namespaces)
    if pred.symbol == "(" and len(pred) == 1:
        return _guard(pred[0], namespaces)
    return None


def _pattern_test(tok, scope: Scope) -> str:
    """The XPath 1.0 boolean that is true of an element the pattern matches."""
    return f"boolean({_pattern_steps(tok, scope, axis='self')})"


def _pattern_steps(tok, scope: Scope, axis: str) -> str:
    if tok.symbol in ("/", "//") and len(tok) == 2:
        right = _pattern_steps(tok[1], scope, axis)
        up = "parent" if tok.symbol == "/" else "ancestor"
        left = _pattern_steps(tok[0], scope, up)
        return f"{right}[{left}]"
    if tok.symbol in ("/", "//") and len(tok) == 1:
        inner = _pattern_steps(tok[0], scope, axis)
        if tok.symbol == "/":  # the step's parent is the document node
            return f"{inner}[not(parent::*)]"
        return inner
    test_tok, preds = _split_step(tok)
    test = _name_test(test_tok, scope)
    out = f"{axis}::{test}"
    for p in preds:
        e = translate(p, scope.nested())
        if e.kind in (NUMBER, SEQ) or "position()" in e.text or "last()" in e.text:
            raise Untranslatable("positional predicate in a pattern")
        out += f"[{e.text}]"
    return out


def _is_trivial(alt, namespaces: dict[str, str]) -> bool:
    """True when the dispatch key and guards alone decide the match (``tei:p``, ``tei:*[@when]``)."""
    try:
        test_tok, preds = _split_step(alt)
    except Untranslatable:
        return False
    if test_tok.symbol == ":" and test_tok[0].symbol == "*":
        return False
    return all(_attr_name(p, namespaces) for p in preds) and len(preds) <= 1


def _fire_condition(rule_el: etree._Element, scope: Scope, parser) -> str | None:
    """XPath 1.0 true when some assert/report of the rule may fire (None: may always)."""
    parts: list[str] = []
    for check in rule_el:
        if check.tag not in (SCH + "assert", SCH + "report"):
            continue
        try:
            test = parser.parse(check.get("test", "true()"))
        except Exception:  # noqa: BLE001 - elementpath rejects it: unknown
            return None
        may_true, may_false = _approx(test, scope)
        cond = may_false if check.tag == SCH + "assert" else may_true
        if cond == "true()":
            return None
        if cond != "false()":
            parts.append(cond)
    if not parts:
        return "false()"
    return " or ".join(f"({p})" for p in parts)


def _fire_py(rule_el: etree._Element, ns: dict[str, str], parser) -> list | None:
    """The rule's fire condition as a Python spec, when every test has an exact one."""
    own_names = set()  # rule lets holding the context's name: <let name="gi" value="name(.)"/>
    value_lets: dict[str, list] = {}  # rule lets holding attribute values: <let name="n" value=".//x/@n"/>
    let_names = [let.get("name") for let in rule_el.findall(SCH + "let")]
    for let in rule_el.findall(SCH + "let"):
        value = _parsed(parser, let.get("value", "")) if let_names.count(let.get("name")) == 1 else None
        if value is None:
            continue
        if _is_own_name(value):
            own_names.add(let.get("name"))
        elif (values := _value_let(value, ns)) is not None:
            value_lets[let.get("name")] = values
    parts: list = []
    for check in rule_el:
        if check.tag not in (SCH + "assert", SCH + "report"):
            continue
        try:
            spec = py_spec(parser.parse(check.get("test", "true()")), ns)
        except Exception:  # noqa: BLE001
            return None
        if spec is None:
            return None
        spec = _bind_lets(spec, own_names, value_lets)
        if spec is None:
            return None
        parts.append(["not", spec] if check.tag == SCH + "assert" else spec)
    if not parts:
        return ["false"]
    out = parts[0]
    for part in parts[1:]:
        out = ["or", out, part]
    return out


def _parsed(parser, text: str):
    """elementpath's tree of ``text``, or None when it does not parse."""
    try:
        return parser.parse(text)
    except Exception:  # noqa: BLE001 - elementpath raises errors of many classes
        return None


def _bind_lets(spec, own_names: set[str], value_lets: dict[str, list]):
    """``spec`` with the rule's variables bound; None when one is left unbound.

    ``sibling::*[name(.) eq $v]``, ``$v`` holding the context's name, becomes
    ["sibling-same-name", axis]; a variable holding attribute values (``PATH/@a``) is
    replaced by its ["attr-values", …] in ["values-all-distinct"], ["values-every"] and
    ["values-count"].
    """
    if not isinstance(spec, list) or not spec:
        return spec
    op = spec[0]
    if op in ("var-all-distinct", "var-count"):
        values = value_lets.get(spec[1])
        return [op.replace("var-", "values-"), values] if values else None
    if op == "var-every":
        values, item = value_lets.get(spec[1]), _bind_lets(spec[2], own_names, value_lets)
        return ["values-every", values, item] if values and item is not None else None
    if op == "name-is-var":
        return None
    if (op == "exists" and len(spec[1]) == 1 and spec[1][0][0] in ("preceding-sibling", "following-sibling")
            and spec[1][0][1] == "*" and len(spec[1][0][2]) == 1 and spec[1][0][2][0][0] == "name-is-var"
            and spec[1][0][2][0][1] in own_names):
        return ["sibling-same-name", spec[1][0][0]]
    out = []
    for part in spec:
        bound = _bind_lets(part, own_names, value_lets)
        if bound is None and part is not None:
            return None
        out.append(bound)
    return out


def _approx(tok, scope: Scope) -> tuple[str, str]:
    """(may be true, may be false) as XPath 1.0 booleans; exact where translation allows."""
    sym = tok.symbol
    if sym == "(" and len(tok) == 1:
        return _approx(tok[0], scope)
    if sym in ("and", "or") and len(tok) == 2:
        lt, lf = _approx(tok[0], scope)
        rt, rf = _approx(tok[1], scope)
        if sym == "and":
            return _combine("and", lt, rt), _combine("or", lf, rf)
        return _combine("or", lt, rt), _combine("and", lf, rf)
    if sym == "not" and len(tok) == 1 and tok.label == "function":
        t, f = _approx(tok[0], scope)
        return f, t
    try:
        text = _ebv(translate(tok, scope))
    except Exception:  # noqa: BLE001 - Untranslatable, or token shapes not foreseen: unknown
        return "true()", "true()"
    return text, f"not({text})"


def _combine(op: str, a: str, b: str) -> str:
    """``a and b`` / ``a or b`` with the constants folded away."""
    absorbing, neutral = ("false()", "true()") if op == "and" else ("true()", "false()")
    if absorbing in (a, b):
        return absorbing
    if a == neutral:
        return b
    if b == neutral:
        return a
    return f"({a} {op} {b})"


def compile_screen(schema: etree._Element, patterns: Iterable[etree._Element],
                   namespaces: dict[str, str]) -> Screen | None:
    """The screen for the active ``patterns`` of an expanded schema, or None when it cannot have one.

    ``namespaces`` are the prefixes the compiled stylesheet binds (sch:ns and in-scope ones).
    """
    if schema.findall(SCH + "let") or any(isinstance(d.tag, str) and d.tag.startswith(f"{{{XSL_NS}}}")
                                          for d in schema):
        return None  # global lets, xsl:function/xsl:key: not modelled
    ns = {k: v for k, v in namespaces.items() if k and k != "xml"}
    binding = (schema.get("queryBinding") or "xslt").lower()
    parser = _parser(ns, "3" if binding in ("xslt3", "xpath3", "xpath31") else "2")
    out: list[list[Rule]] = []
    extra: list[list[Rule]] = []
    for pattern in patterns:
        rules: list[Rule] = []
        pattern_lets = pattern.findall(SCH + "let")
        for rule_el in pattern:
            if rule_el.tag != SCH + "rule" or not rule_el.get("context"):
                continue
            try:
                context = parser.parse(rule_el.get("context"))
            except Exception:  # noqa: BLE001
                return None
            alternatives = _pattern_alternatives(context)
            let_els = pattern_lets + rule_el.findall(SCH + "let")
            lets, scope = _lets(let_els, ns, parser)
            fire = _fire_condition(rule_el, scope, parser) if scope is not None else None
            memo = False
            if fire is not None and lets and not scope.hoisted:
                pure = Scope(ns, scope.vars, pure=True)
                memo = _fire_condition(rule_el, pure, parser) == fire and not pure.hoisted
            if scope is not None and scope.hoisted:
                lets = lets + list(scope.hoisted.items())  # scalars of node-set lets, after the lets
            lets_py = _lets_py(let_els, lets, ns, parser) if lets else None
            for alt in alternatives:
                try:
                    last, preds = _last_step(alt)
                    key = _key(last, ns)
                except (Untranslatable, IndexError):
                    unsure = _unsure_rules(alt, ns)
                    if unsure is None:
                        return None  # a context on text or the document: no screen
                    # rules on attributes run on other nodes than the pattern's element rules:
                    # each stands alone, and flags any element that may carry such an attribute
                    extra.extend([r] for r in unsure)
                    continue
                guards: list[str] = []
                for p in preds:
                    g = _guard(p, ns)
                    if g:
                        guards = [g]
                        break
                match: str | None
                unknown = False
                match_py = None
                if _is_trivial(alt, ns):
                    match = None
                else:
                    try:
                        match = _pattern_test(alt, Scope(ns, {}))
                    except Untranslatable:
                        match, unknown = None, True
                    steps = _py_pattern(alt, ns) if not unknown else None
                    match_py = ["pattern", steps] if steps else None
                fire_py = _fire_py(rule_el, ns, parser) if fire is not None and not unknown else None
                rules.append(Rule(key, guards, match, lets, None if unknown else fire, match_py, fire_py,
                                  lets_py, memo))
        if rules:
            out.append(rules)
    return Screen(out + extra, ns)


def _unsure_rules(alt, ns: dict[str, str]) -> list[Rule] | None:
    """Rules that flag every element a context the screen cannot run might concern.

    ``E/@a`` (a rule on attributes): elements matching E's last step that carry
    ``a``.  ``(A|B)[p]``: elements named A or B.  None for anything else.
    """
    tok = alt
    attr_tok = None
    if tok.symbol in ("/", "//") and len(tok) == 2 and tok[1].symbol in ("@", "attribute"):
        tok, attr_tok = tok[0], tok[1]
    elif tok.symbol in ("@", "attribute"):
        tok, attr_tok = None, tok
    guards: list[str] = []
    if attr_tok is not None:
        name = _attr_name(attr_tok, ns) if attr_tok.symbol == "@" else None
        guards = [name] if name else []
        if tok is None:
            return [Rule("*", guards, None, [], None)]
    while tok.symbol == "[":
        tok = tok[0]
    if tok.symbol == "(" and len(tok) == 1:
        try:
            keys = [_key(_last_step(a)[0], ns) for a in _pattern_alternatives(tok[0])]
        except (Untranslatable, IndexError):
            return None
        return [Rule(k, guards, None, [], None) for k in keys]
    try:
        return [Rule(_key(_last_step(tok)[0], ns), guards, None, [], None)]
    except (Untranslatable, IndexError):
        return None


def _lets_py(let_els: list[etree._Element], lets: list[tuple[str, str]], ns: dict[str, str],
             parser) -> list | None:
    """Python value specs for the evaluated lets, when every one is a string with a spec."""
    wanted = {name for name, _ in lets}
    out = []
    for let in let_els:
        name = let.get("name")
        if name not in wanted:
            continue
        try:
            spec = py_value(parser.parse(let.get("value", "")), ns)
        except Exception:  # noqa: BLE001
            return None
        if spec is None or not next(text for n, text in lets if n == name).startswith("string("):
            return None
        out.append([name, spec])
    return out if len(out) == len(lets) else None


def _last_step(tok):
    while tok.symbol in ("/", "//"):
        tok = tok[-1]
    return _split_step(tok)


def _lets(lets: list[etree._Element], ns: dict[str, str], parser) -> tuple[list[tuple[str, str]], Scope | None]:
    """Rule/pattern lets: scalars become variables evaluated per candidate, node-sets are inlined."""
    scope = Scope(ns, {})
    evaluated: list[tuple[str, str]] = []
    for let in lets:
        name, value = let.get("name"), let.get("value")
        if value is None:
            return [], None  # a let with content (a temporary tree): unknown
        hoisted = len(scope.hoisted)
        try:
            e = translate(parser.parse(value), scope)
            if len(scope.hoisted) != hoisted:
                raise Untranslatable("a let that needs a hoisted value")
        except Exception:  # noqa: BLE001 - Untranslatable or an elementpath refusal
            scope.vars.pop(name, None)
            continue  # checks that use it become unknown
        if e.kind == NODES:
            scope.vars[name] = Expr(e.text, NODES, single=e.single)
        elif e.kind in (STRING, NUMBER, BOOLEAN) and e.single:
            conv = {STRING: "string", NUMBER: "number", BOOLEAN: "boolean"}[e.kind]
            evaluated.append((name, f"{conv}({e.text})"))
            scope.vars[name] = Expr(f"${name}", e.kind)
        else:
            continue
    return evaluated, scope


def rules_summary(screen: Screen) -> list[str]:
    """One line per rule (for debugging and tests): key, guards, and whether it is exact."""
    lines = []
    for i, p in enumerate(screen.patterns):
        for r in p:
            lines.append(f"{i}: {r.key} guards={r.guards} match={'py' if r.match_py else r.match!r} "
                         f"lets={len(r.lets)} fire={'UNKNOWN' if r.fire is None else 'py' if r.fire_py else r.fire}")
    return lines
