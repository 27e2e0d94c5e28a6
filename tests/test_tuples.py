"""Record: named tuples made without compiling code, which must behave as typing.NamedTuple's do."""

import copy
import pickle
import sys
from typing import NamedTuple

import pytest

from factcli.core.tuples import Record


class Point(Record):
    """A point."""

    x: int
    y: int = 0
    label: str | None = None

    def moved(self, by):
        return self._replace(x=self.x + by)


class Named(NamedTuple):
    x: int
    y: int = 0
    label: str | None = None


@pytest.mark.parametrize(
    "args, kwargs",
    [((1,), {}), ((1, 2), {}), ((1, 2, "a"), {}), ((), {"x": 1}), ((1,), {"label": "a"}), ((), {"label": "a", "x": 3})],
)
def test_a_record_is_made_as_a_named_tuple_is(args, kwargs):
    point, named = Point(*args, **kwargs), Named(*args, **kwargs)
    assert (tuple(point), point._asdict(), point.x, point.y, point.label) == (
        tuple(named),
        named._asdict(),
        named.x,
        named.y,
        named.label,
    )
    assert point == named and hash(point) == hash(named)
    assert repr(point) == repr(named).replace("Named", "Point")


def test_fields_defaults_and_methods_are_the_classes_own():
    assert Point._fields == ("x", "y", "label")
    assert Point._field_defaults == {"y": 0, "label": None}
    assert Point(1).moved(2) == Point(3) and isinstance(Point(1).moved(2), Point)
    assert Point.__doc__ == "A point."


def test_a_record_is_immutable_unpacks_and_takes_no_other_attributes():
    point = Point(1, 2)
    with pytest.raises(AttributeError):
        point.x = 5
    with pytest.raises(AttributeError):
        point.z = 5  # no instance dictionary, as a named tuple has none
    assert sys.getsizeof(point) == sys.getsizeof(Named(1, 2))
    x, y, label = point
    assert (x, y, label) == (1, 2, None)


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        ((), {}, "Point needs a value for x"),
        ((1, 2, "a", 4), {}, "Point takes 3 values, not 4"),
        ((1,), {"z": 2}, "Point: 'z' is not a field"),
        ((1,), {"x": 2}, "Point: 'x' was given twice"),
    ],
)
def test_wrong_values_are_refused_as_a_named_tuple_refuses_them(args, kwargs, message):
    with pytest.raises(TypeError, match=message):
        Point(*args, **kwargs)
    with pytest.raises(TypeError):
        Named(*args, **kwargs)


def test_replace_changes_only_the_fields_named_and_refuses_others():
    point = Point(1, 2, "a")
    assert point._replace(y=5) == Point(1, 5, "a") and point == Point(1, 2, "a")
    with pytest.raises(TypeError, match="'z' is not a field"):
        point._replace(z=1)


def test_a_record_copies_and_pickles_whole():
    point = Point(1, [2], "a")
    assert pickle.loads(pickle.dumps(point)) == point and type(pickle.loads(pickle.dumps(point))) is Point
    assert copy.copy(point) == point
    deep = copy.deepcopy(point)
    assert deep == point and deep.y is not point.y


def test_a_subclass_keeps_its_bases_fields_and_may_not_add_to_them():
    class Labelled(Point):
        def text(self):
            return f"{self.label}: {self.x}, {self.y}"

    assert Labelled(1, label="a").text() == "a: 1, 0"
    with pytest.raises(TypeError, match="cannot be extended"):

        class Deeper(Point):
            z: int = 0


def test_a_name_with_a_leading_underscore_is_the_class_s_own_not_a_field():
    class Counted(Record):
        _made: int = 0
        name: str

    assert Counted._fields == ("name",) and Counted("a").name == "a"


@pytest.mark.skipif(sys.version_info < (3, 14), reason="annotations evaluated lazily from Python 3.14")
def test_fields_come_from_lazily_evaluated_annotations():
    """Python 3.14 keeps a class body's annotations as a function (PEP 649), even of names not yet defined."""
    namespace = {}
    exec("class Late(Record):\n    first: Undefined\n    second: int = 2\n", {"Record": Record}, namespace)
    assert namespace["Late"]._fields == ("first", "second")
    assert namespace["Late"](1) == (1, 2)


def test_a_field_without_a_default_may_not_follow_one_with_a_default():
    with pytest.raises(TypeError, match="follows one with a default"):

        class Wrong(Record):
            a: int = 0
            b: int
