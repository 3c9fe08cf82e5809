"""Value generators for the API contract test (tests/api-contract.test.ts), loaded by schemathesis
through SCHEMATHESIS_HOOKS.

The OpenAPI document gives `GET /search?q=` and a subscription's `query` the format
`monitor-query`: the query language of libs/query (words, "phrases", OR, -word, prefix*,
parentheses), which no JSON Schema can state. Without this generator schemathesis would send
strings the API rightly refuses (an unclosed quote, nothing but punctuation) and report them as
valid data rejected. Everything else is generated from the document's schemas as they stand.

Schemathesis cannot check a format it does not know, so in negative testing it takes any string as
breaking one. Nearly every string is a query, though ("Ékâw#" is one word), so the API rightly
accepts most of them; `filter_failure` below drops that one false report and no other.
"""

import base64
import datetime
import json

import schemathesis
from hypothesis import strategies as st
from schemathesis.core.failures import AcceptedNegativeData

WORDS = ["heroin", "opium", "cocaine", "precursors", "fentanyl", "UNODC", "seizure", "героин", "наркотики", "毒品", "禁毒", "the", "in"]
word = st.sampled_from(WORDS) | st.from_regex(r"\A[a-z]{2,10}\Z")
prefix = st.from_regex(r"\A[a-z]{2,6}\Z").map(lambda stem: f"{stem}*")
phrase = st.lists(word, min_size=1, max_size=3).map(lambda words: '"' + " ".join(words) + '"')
term = st.one_of(word, prefix, phrase)


def groups(inner):
    """AND groups (with -word exclusions) of terms or parenthesised queries, joined by OR."""
    atom = st.one_of(inner, inner.map(lambda q: f"({q})"))
    item = st.one_of(atom, word.map(lambda w: f"-{w}"))
    conjunction = st.lists(item, min_size=1, max_size=3).filter(lambda items: any(not i.startswith("-") for i in items)).map(" ".join)
    return st.lists(conjunction, min_size=1, max_size=3).map(" OR ".join)


schemathesis.openapi.format("monitor-query", st.recursive(term, groups, max_leaves=8))

# `GET /stories?cursor=` is the opaque `nextCursor` of a previous page (format `story-cursor`):
# base64url of [lastSeen, story id]. Arbitrary strings are rightly refused.
STORY_ID = st.from_regex(r"\Astory-[0-9a-f]{20}\Z")
INSTANT = st.datetimes(min_value=datetime.datetime(2000, 1, 1), max_value=datetime.datetime(2100, 1, 1)).map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%S.000Z"))
schemathesis.openapi.format(
    "story-cursor",
    st.tuples(INSTANT, STORY_ID).map(lambda pair: base64.urlsafe_b64encode(json.dumps(list(pair), separators=(",", ":")).encode()).decode().rstrip("=")),
)


def _breaks_only_the_query_language(mutation) -> bool:
    """A mutation whose only change is a `q` or `query` that "breaks" the monitor-query format."""
    if tuple(mutation.keywords) != ("format",):
        return False
    location = getattr(mutation.parameter_location, "value", mutation.parameter_location)
    if location == "query":
        return mutation.parameter == "q"
    return location == "body" and str(mutation.schema_pointer).endswith("/properties/query")


@schemathesis.hook
def filter_failure(ctx, failure, case, response):
    """Keep every failure but "invalid data accepted" for a request whose only fault is its query text."""
    if not isinstance(failure, AcceptedNegativeData) or case.meta is None:
        return True
    mutations = getattr(case.meta.phase.data, "mutations", ())
    return not (mutations and all(_breaks_only_the_query_language(m) for m in mutations))
