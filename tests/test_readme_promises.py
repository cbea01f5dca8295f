"""Every promise in the README names tests that exist ("A claim in the README is a test").

The table under "Vad Samsyn lovar och vilket test som visar det" is read as it stands: each
row must name at least one test path, every path must exist, and every test function it names
(`file.py::test_name`, or a `test_name` in parentheses after the file) must be defined there.
A promise whose test was renamed or removed fails here instead of going unguarded.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _promise_rows() -> list[tuple[str, str]]:
    section = README.split("## Vad Samsyn lovar och vilket test som visar det", 1)[1]
    section = section.split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0] not in ("löfte", "---") and not cells[0].startswith("-"):
            rows.append((cells[0], " | ".join(cells[1:])))
    return rows


def test_the_readme_has_promises():
    assert len(_promise_rows()) > 40


def test_every_promise_names_tests_that_exist():
    problems = []
    for promise, tests in _promise_rows():
        paths = re.findall(r"`(tests/[^`\s]*)`", tests)
        if not paths:
            problems.append(f"inget test: {promise[:60]}")
        current = None
        for token in re.findall(r"`([^`]+)`", tests):
            if token.startswith("tests/"):
                file, _, name = token.partition("::")
                current = ROOT / file
                if not current.exists():
                    problems.append(f"{file} finns inte ({promise[:40]})")
                    current = None
                    continue
                names = [name] if name else []
            elif token.endswith(".py") and current is not None:  # a file beside the last one
                current = current.parent / token
                if not current.exists():
                    problems.append(f"{token} finns inte ({promise[:40]})")
                    current = None
                continue
            elif token.startswith(("test_", "::test_")):
                names = [token.lstrip(":")]
            else:
                continue
            for test_name in names:
                target = current
                if target is None or target.is_dir():
                    continue
                # `test_login_throttling_*` or `test_…_story_…` names every test with that start.
                stem = re.split(r"[\[*…]", test_name)[0]
                exact = stem == test_name
                code = target.read_text(encoding="utf-8")
                if f"def {stem}{'(' if exact else ''}" not in code:
                    problems.append(f"{test_name} finns inte i {target.relative_to(ROOT)}")
    assert not problems, "\n".join(problems)
