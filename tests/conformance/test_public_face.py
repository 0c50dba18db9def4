"""The kit's public face: `npq_conformance.__all__` is sorted, resolves, and is complete."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from typing import Any

import npq_conformance
import pytest

IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


def _modules() -> list[Any]:
    return [
        importlib.import_module(f"npq_conformance.{info.name}")
        for info in pkgutil.iter_modules(npq_conformance.__path__)
    ]


def _classes() -> dict[str, type]:
    """Every public class the kit defines, by name."""
    return {
        name: value
        for module in _modules()
        for name, value in vars(module).items()
        if inspect.isclass(value) and value.__module__ == module.__name__ and name[0] != "_"
    }


def _annotations(value: Any) -> Iterator[str]:
    """The annotations of a function, or of a class's constructor and public methods."""
    if inspect.isclass(value):
        for name, member in vars(value).items():
            if name == "__init__" or not name.startswith("_"):
                yield from _annotations(getattr(member, "fget", member))
        yield from inspect.get_annotations(value).values()
    elif callable(value):
        yield from inspect.get_annotations(inspect.unwrap(value)).values()


def test_all_is_sorted_and_each_name_resolves() -> None:
    assert npq_conformance.__all__ == sorted(npq_conformance.__all__)
    assert (
        sorted(n for names in npq_conformance.HOMES.values() for n in names)
        == npq_conformance.__all__
    )
    for name in npq_conformance.__all__:
        assert getattr(npq_conformance, name).__name__ == name


def test_every_kit_class_a_public_name_mentions_is_public() -> None:
    """A user who may call a function may name what it takes, returns and holds."""
    classes = _classes()
    mentioned = {
        word
        for name in npq_conformance.__all__
        for annotation in _annotations(getattr(npq_conformance, name))
        for word in IDENTIFIER.findall(str(annotation))
        if word in classes
    }
    assert mentioned - set(npq_conformance.__all__) == set()


def test_every_error_the_kit_raises_is_public() -> None:
    errors = {name for name, value in _classes().items() if issubclass(value, Exception)}
    assert errors - set(npq_conformance.__all__) == set()


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        npq_conformance.nope  # noqa: B018
