"""Named tuples that cost nothing to define: Record, for the plain objects the core returns.

typing.NamedTuple compiles and runs code for each class it makes, a tenth of a millisecond
each; a question imports a dozen of them before it reads the store, which was a fifth of what
facts adds to starting Python. A Record subclass is declared the same way, by annotated fields
with optional defaults, and behaves the same (a tuple: equal, ordered, unpacked and pickled
as one, with _fields, _replace and _asdict), but is made without compiling anything.

    class Point(Record):
        x: int
        y: int = 0
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    # For type checkers: a Record subclass's fields are its annotations, as a dataclass's are.
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_):
        return lambda cls: cls


try:
    # The C getter collections.namedtuple gives its fields: a quarter quicker to read than
    # a property over operator.itemgetter, which is what it falls back to, as here.
    from _collections import _tuplegetter  # type: ignore[import-not-found]
except ImportError:  # an interpreter without it
    from operator import itemgetter

    def _tuplegetter(index: int, doc: str) -> Any:
        return property(itemgetter(index), doc=doc)


_MISSING = object()
R = TypeVar("R", bound="Record")

if sys.version_info >= (3, 14):
    # Python 3.14 evaluates a class's annotations only when asked (PEP 649): a class body leaves
    # a function that makes them, not the dictionary earlier versions leave.
    import annotationlib

    def _annotations(namespace: dict[str, Any]) -> Iterable[str]:
        if "__annotations__" in namespace:  # a module with from __future__ import annotations
            return namespace["__annotations__"]
        annotate = annotationlib.get_annotate_from_class_namespace(namespace)
        if annotate is None:
            return ()
        return annotationlib.call_annotate_function(annotate, format=annotationlib.Format.FORWARDREF)

else:

    def _annotations(namespace: dict[str, Any]) -> Iterable[str]:
        return namespace.get("__annotations__", ())


def _field_names(namespace: dict[str, Any]) -> tuple[str, ...]:
    """The names a class body annotates, in order, as typing.NamedTuple reads them; a name
    starting with an underscore is the class's own (as Record's are), never a field."""
    return tuple(name for name in _annotations(namespace) if not name.startswith("_"))


class _RecordType(type):
    """Makes each Record class: no instance dictionary, as a tuple has none, and its annotated
    names as fields, each read by a getter, with their defaults."""

    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kwargs: Any) -> Any:
        namespace.setdefault("__slots__", ())
        names = _field_names(namespace)
        cls: Any = super().__new__(mcs, name, bases, namespace, **kwargs)
        if not names:
            return cls  # Record itself, or a subclass that adds methods only and keeps its base's fields
        if getattr(cls, "_fields", ()):
            raise TypeError(f"{name}: a record's fields cannot be extended by a subclass")
        defaults = {}
        for index, field in enumerate(names):
            value = namespace.get(field, _MISSING)
            if value is not _MISSING:
                defaults[field] = value
            elif defaults:
                raise TypeError(f"{name}.{field}: a field without a default follows one with a default")
            setattr(cls, field, _tuplegetter(index, f"Field {index}: {field}"))
        cls._fields, cls._field_defaults = names, defaults
        cls._required, cls._defaults = len(names) - len(defaults), tuple(defaults.values())
        return cls


@dataclass_transform(eq_default=True, frozen_default=True)
class Record(tuple, metaclass=_RecordType):
    """A tuple whose fields are its subclass's annotations, in order, each with its default."""

    _fields: tuple[str, ...] = ()
    _field_defaults: dict[str, Any] = {}
    _required = 0
    _defaults: tuple = ()

    def __new__(cls: type[R], *args: Any, **kwargs: Any) -> R:
        count = len(args)
        if not kwargs and cls._required <= count <= len(cls._fields):
            # By position, as the store's readers make them: the defaults of the rest added.
            return tuple.__new__(cls, args + cls._defaults[count - cls._required :])
        if count > len(cls._fields):
            raise TypeError(f"{cls.__name__} takes {len(cls._fields)} values, not {count}")
        values = list(args)
        for name in cls._fields[count:]:
            value = kwargs.pop(name, cls._field_defaults.get(name, _MISSING))
            if value is _MISSING:
                raise TypeError(f"{cls.__name__} needs a value for {name}")
            values.append(value)
        if kwargs:
            extra = next(iter(kwargs))
            reason = "was given twice" if extra in cls._fields else "is not a field"
            raise TypeError(f"{cls.__name__}: {extra!r} {reason}")
        return tuple.__new__(cls, values)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{name}={value!r}' for name, value in zip(self._fields, self))})"

    def __getnewargs__(self) -> tuple:
        return tuple(self)  # copy and pickle make it again by position

    def _replace(self: R, **changes: Any) -> R:
        values = [changes.pop(name, value) for name, value in zip(self._fields, self)]
        if changes:
            raise TypeError(f"{type(self).__name__}: {next(iter(changes))!r} is not a field")
        return tuple.__new__(type(self), values)

    def _asdict(self) -> dict[str, Any]:
        return dict(zip(self._fields, self))
