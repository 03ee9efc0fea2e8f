"""Words in messages: counts (`1 file`, `2 files`, never `1 files`), and text from a
run shown on one line of a terminal or a CI log."""

from __future__ import annotations


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """`number noun`, with the noun's plural (default: noun + "s") unless it is 1."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


# A control character shown as an escape: a `\r\n` would split one message in two, an
# ESC (`\x1b[31m`) would colour a CI log, a C1 code (`\x9b`) is a terminal's CSI.
LINE_ESCAPES = {
    code: {9: "\\t", 10: "\\n", 13: "\\r"}.get(code, f"\\x{code:02x}")
    for code in (*range(32), *range(127, 160))
}


def one_line_text(text: str) -> str:
    """`text` on one line, its control characters made visible (`\\r\\n`, `\\x1b`)."""
    return text if text.isprintable() else text.translate(LINE_ESCAPES)
