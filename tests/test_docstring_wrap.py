"""Docstrings are wrapped as ``textwrap`` wraps them (with words never split), only faster."""

from __future__ import annotations

import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.pipeline.escape import docstring, wrap

# Words as docstrings have them: escaped text without whitespace, some longer than a line.
_WORDS = st.lists(
    st.text(st.characters(blacklist_categories=("Zs", "Zl", "Zp", "Cc")), min_size=1,
            max_size=50).filter(lambda w: not any(c.isspace() for c in w)),
    min_size=1, max_size=60,
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(words=_WORDS, width=st.integers(min_value=1, max_value=100))
def test_wrap_gives_the_lines_of_textwrap_without_splitting_words(
    words: list[str], width: int
) -> None:
    text = " ".join(words)
    expected = textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False)
    assert wrap(text, width) == expected


def test_a_long_word_stands_alone_on_its_line() -> None:
    url = "https://example.test/" + "a" * 100
    assert docstring(f"See {url} for more.", 0).splitlines() == ["See", url, "for more."]
