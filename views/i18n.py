"""The pages' language: ``t(key)`` is a ``ui`` word of :mod:`words` in the session's language."""

from __future__ import annotations

import streamlit as st

import words

LANGS = words.LANGS


def lang() -> str:
    return st.session_state.get("lang", "zh")


def t(key: str, **fmt) -> str:
    text = words.label("ui", key, lang())
    return text.format(**fmt) if fmt else text
