"""
The base of the analysis's coded errors: a code and its arguments, never a sentence.

An error the analysis raises because of the user's data or settings carries a
``code`` (one of its module's ``*_ERROR_CODES``) and ``params``; ``words.render(
exc.item, lang)`` says it in the user's language (``words/errors.py``). ``str(exc)``
is the code with its arguments, for logs. :class:`geo.io.DataError` and
:class:`geo.review.ReviewError` follow the same shape.
"""

from __future__ import annotations


class CodedError(ValueError):
    """
    An error that is a message code with arguments.

    Parameters
    ----------
    code
        The message code (``words.text(code, lang, **params)`` is its sentence).
    params
        The arguments the sentence names: keys, values, what is allowed.
    """

    def __init__(self, code: str, /, **params) -> None:
        self.code = code
        self.params = params
        detail = ", ".join(f"{k}={v!r}" for k, v in params.items())
        super().__init__(f"{code}({detail})" if detail else code)

    @property
    def item(self) -> dict:
        """``{"code": …, **params}``, as ``words.render`` takes it."""
        return {"code": self.code, **self.params}

    def __reduce__(self):
        return (_rebuild, (type(self), self.code, self.params))


def _rebuild(cls: type, code: str, params: dict) -> CodedError:
    return cls(code, **params)


def error_item(exc: BaseException) -> dict | None:
    """The message item of a coded error (this base, ``DataError``, ``ReviewError``); None for any other."""
    item = getattr(exc, "item", None)
    return item if isinstance(item, dict) and "code" in item else None
