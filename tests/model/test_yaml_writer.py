"""The direct YAML writer writes exactly what PyYAML's emitter writes, or says it cannot."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from dbarch.examples import example_path
from dbarch.model.dump import dump_model
from dbarch.model.loader import load_model
from dbarch.model.yaml_writer import Unsupported, fast_yaml, pyyaml_yaml, write_yaml
from tests.model.strategies import schemas

# texts that exercise every scalar style: plain, quoted, literal, escapes, YAML keywords
_TRICKY = st.sampled_from(
    [
        "",
        " ",
        "yes",
        "null",
        "~",
        "1.5",
        "0x1F",
        "'pending'::text",
        "it's",
        "a: b",
        "#x",
        "- x",
        "[x]",
        "{x}",
        "x #y",
        "&a",
        "*a",
        "!t",
        "%d",
        "@x",
        "`x`",
        "a\nb",
        "a\nb\n",
        "\nBEGIN\n  RETURN 1;\nEND;\n",
        " lead\nx",
        "a \nb",
        "a\r\nb",
        "a\n\n",
        "tab\there",
        "é ✓ 😀",
        "\x85\u2028\ufeff",
        "\x00\x07\x1b",
        "x" * 130,
    ]
)
_TEXT = st.one_of(
    _TRICKY,
    st.text(max_size=12),
    st.from_regex(r"[A-Za-z0-9_]{1,6}( {1,2}[A-Za-z0-9_]{1,6}){0,2}", fullmatch=True),
)
_SCALAR = st.one_of(
    _TEXT,
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)


def _data() -> st.SearchStrategy[dict[str, Any]]:
    values = st.recursive(
        st.one_of(_SCALAR, st.lists(_SCALAR, max_size=4)),
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(_TEXT, inner, max_size=3)
        ),
        max_leaves=12,
    )
    return st.dictionaries(_TEXT, values, max_size=4)


@settings(max_examples=600, deadline=None)
@given(_data())
def test_the_direct_writer_writes_what_pyyaml_writes_or_declines(data: dict[str, Any]) -> None:
    expected = pyyaml_yaml(data)
    with contextlib.suppress(Unsupported):
        assert fast_yaml(data) == expected
    assert write_yaml(data) == expected


@settings(max_examples=100, deadline=None)
@given(schemas())
def test_model_dumps_are_written_as_pyyaml_writes_them(schema: Any) -> None:
    data = yaml.safe_load(dump_model(schema, "yaml") or "{}")
    expected = pyyaml_yaml(data)
    assert write_yaml(data) == expected
    with contextlib.suppress(Unsupported):  # e.g. a comment "\n" keeps a trailing line
        assert fast_yaml(data) == expected


def test_the_bundled_example_is_written_directly() -> None:
    data = yaml.safe_load(dump_model(load_model(example_path("ml_platform.yaml")), "yaml"))
    assert fast_yaml(data) == pyyaml_yaml(data)


@pytest.mark.parametrize(
    "data",
    [
        {"a": "x\n\n"},  # a literal block keeping a trailing empty line
        {"": 1},  # an empty key is a complex key
        {"k" * 130: 1},  # so is a long one
        {"a": [[{"b": 1}]]},  # a block list inside a list
    ],
)
def test_what_the_writer_declines_still_comes_out_as_pyyaml_writes_it(
    data: dict[str, Any],
) -> None:
    with pytest.raises(Unsupported):
        fast_yaml(data)
    assert write_yaml(data) == pyyaml_yaml(data)
    assert yaml.safe_load(write_yaml(data)) == data
