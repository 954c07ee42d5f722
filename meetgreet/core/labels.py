"""Names for fixed values (enum members, codes): as a select's choices, or in templates."""

from collections.abc import Callable, Iterable, Mapping

from wtforms.fields.choices import SelectChoice


def options(pairs: Iterable[tuple[str, object]]) -> list[SelectChoice]:
    """(value, label) pairs as a select field's choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def labeller(labels: Mapping) -> Callable[[object], str]:
    """A template helper naming a value by `labels` in the reader's language. The keys may be
    enum members: the helper then takes the member or its stored string alike."""
    by_value = {getattr(key, "value", key): label for key, label in labels.items()}

    def label(value) -> str:
        return str(by_value[getattr(value, "value", value)])

    return label
