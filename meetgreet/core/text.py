"""Plain-text tidying shared by forms and mail."""


def one_line(value):
    """Names and titles end up in mail headers, CSV cells and badge lines: no line breaks or
    tabs, single spaces. A missing value (None) passes through for the validators."""
    return " ".join(value.split()) if isinstance(value, str) else value
