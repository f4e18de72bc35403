"""A fix for the lunr search engine inside Material's search worker, applied to the built file.

lunr minimises its token graph by keying each node on `final flag + (edge label + child id)...`,
joined with no separator. Labels are single characters and ids are numbers, so a digit label runs
into the ids beside it: a node with the one edge '1' → node 234 and a node with the edges '1' → 2
and '3' → 4 both get the key "01234", and minimisation merges two different nodes. Text such as
"APIv2" and "APIv4" (Gate's menu labels) then corrupts the index, and every query that reaches
those nodes (any query starting with "a") fails with
`TypeError: Cannot read properties of undefined (reading '_index')`.

Ending each child id with a comma makes the key unambiguous. A second change reads a minus before
a digit as part of an error code (`-2015`), not as lunr's NOT. The fix is found by its shape in the
minified worker; if a Material release changes that code, `patch_lunr` raises, the build fails, and
the search test says whether the new release still needs it.
"""

from __future__ import annotations

import re

# `e=e+s+o.id` inside lunr.TokenSet.prototype.toString, whatever the minifier named the variables.
_TO_STRING = re.compile(
    r"(TokenSet\.prototype\.toString=function\(\)\{if\(this\._str\)return this\._str;"
    r"for\(var (\w+)=this\.final\?\"1\":\"0\",(\w+)=Object\.keys\(this\.edges\)\.sort\(\),(\w+)=\3\.length,"
    r"(\w+)=0;\5<\4;\5\+\+\)\{var (\w+)=\3\[\5\],(\w+)=this\.edges\[\6\];)\2=\2\+\6\+\7\.id(\}return \2\})"
)
FIXED = '+","'
# The query parser, `function ue(t,e=r=>r){return t.trim().split(...`: a leading minus means NOT.
_QUERY = re.compile(r'(function \w+\((\w+),\w+=\w+=>\w+\)\{return \2\.trim\(\))(\.split\(/"\(\[\^"\]\+\)"/g\))')
# An error code such as -2015 is a number, not "NOT 2015": drop a minus that comes before a digit.
MINUS = r'.replace(/(^|\s)-(?=\d)/g,"$1")'


def patch_lunr(js: str) -> str:
    """The worker's code with lunr's token-graph key made unambiguous and error codes read as
    numbers; unchanged if already fixed."""
    if not re.search(r"\.id\+\",\"\}return \w+\}", js):
        js, count = _TO_STRING.subn(lambda m: f"{m[1]}{m[2]}={m[2]}+{m[6]}+{m[7]}.id{FIXED}{m[8]}", js)
        if count != 1:
            raise ValueError(
                "lunr's TokenSet.toString was not found in Material's search worker; check whether this "
                "Material release still needs venuekit.searchfix (tests/test_browser.py tells)"
            )
    if MINUS not in js:
        js, count = _QUERY.subn(lambda m: f"{m[1]}{MINUS}{m[3]}", js)
        if count != 1:
            raise ValueError(
                "Material's query parser was not found in its search worker; update venuekit.searchfix "
                "so that a code such as -2015 is still searched as a number"
            )
    return js
