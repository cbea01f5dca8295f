"""Reading a form off a page the way a browser submits it, hidden version field included."""

from __future__ import annotations

from html.parser import HTMLParser


class _Forms(HTMLParser):
    """Every form on the page: its action and the values a browser would send."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict[str, list[str]]]] = []
        self._fields: dict[str, list[str]] | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._selected = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name: str | None, value: str) -> None:
        if self._fields is not None and name:
            self._fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._fields = {}
            self.forms.append((a.get("action", ""), self._fields))
        elif tag == "input" and a.get("type", "text") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self._add(a.get("name"), a.get("value", "on" if a.get("type") == "checkbox" else ""))
        elif tag == "select":
            self._select, self._first_option, self._selected = a.get("name"), None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self._selected = True
                self._add(self._select, value)
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), []

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._fields = None
        elif tag == "select" and self._select:
            # A browser sends the first option when none is marked selected.
            if not self._selected and self._first_option is not None:
                self._add(self._select, self._first_option)
            self._select = None
        elif tag == "textarea" and self._textarea:
            # The HTML parser keeps the newline Django writes after <textarea>; browsers drop it.
            self._add(self._textarea, "".join(self._text).removeprefix("\n"))
            self._textarea = None


def form_data(html: str, action: str, page_url: str) -> dict[str, list[str]]:
    """The values of the form that posts to `action` (a form without action posts to the page)."""
    parser = _Forms()
    parser.feed(html)
    found = [fields for act, fields in parser.forms if (act or page_url) == action]
    assert len(found) == 1, f"{len(found)} formulär skickar till {action}"
    return found[0]
