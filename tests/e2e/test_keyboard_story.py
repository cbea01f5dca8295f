"""The everyday story with the keyboard alone (issue 14, "Phone and keyboard").

After the login page is opened, the user never touches the mouse and the test never builds an
address: every step is Tab, Shift+Tab, Enter, Space, an arrow key or typed text. At every focus
stop the focused element must show where the focus is (WCAG 2.4.7 Focus Visible) and be on the
screen (2.4.11 Focus Not Obscured); every scroll container on every page must be reachable
(2.1.1 Keyboard). Every page is checked with axe and must ask nothing of another host
(conftest.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Locator, expect

from samsyn.followup.models import ProjectStaff
from samsyn.pipeline import services
from samsyn.pipeline.models import IdeaParty
from samsyn.pipeline.steps import IdeaStep
from samsyn.pipeline.views import IDEA_HEADER
from tests.e2e.conftest import totp_code
from tests.e2e.test_refusals_and_edits import GIVEN, idea_with_parties
from tests.factories import IdeaFactory, NeedFactory, kommun, region

# Far more stops than any page has: a target not reached by then cannot be reached at all.
MAX_PRESSES = 200

FOCUS_STOP = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    what: el.outerHTML.slice(0, 160),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
      && box.top < window.innerHeight && box.left < window.innerWidth,
  };
}"""

# A box whose content scrolls needs the keyboard too: it can take focus, or holds something that
# can (Tab then scrolls it into view).
UNREACHABLE_SCROLLERS = """() => {
  const focusable = "a[href], button, input, select, textarea, summary, [tabindex]";
  return [...document.querySelectorAll("body *")].filter(el => {
    const style = getComputedStyle(el);
    const sideways = /(auto|scroll)/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
    const down = /(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
    if (!sideways && !down) return false;
    return el.tabIndex < 0 && ![...el.querySelectorAll(focusable)].some(c => c.tabIndex >= 0);
  }).map(el => el.outerHTML.slice(0, 160));
}"""


def assert_focus_shown(page) -> None:
    """The element that has the focus shows it and is on the screen."""
    stop = page.evaluate(FOCUS_STOP)
    if stop is None:
        return
    assert stop["outline"] or stop["shadow"], f"fokus syns inte på {stop['what']}"
    assert stop["onScreen"], f"fokus är utanför skärmen på {stop['what']}"


def assert_on_screen(target: Locator, what: str) -> None:
    """All of `target` is inside the viewport (not scrolled off the top, say)."""
    inside = target.evaluate(
        "el => { const b = el.getBoundingClientRect();"
        " return b.top >= 0 && b.left >= 0 && b.bottom <= innerHeight && b.right <= innerWidth; }"
    )
    assert inside, f"{what} syns inte på skärmen"


def focus_by_keyboard(page, target: Locator, what: str, *, back: bool = False) -> None:
    """Press Tab (Shift+Tab when `back`) until `target` has the focus, checking every stop."""
    key = "Shift+Tab" if back else "Tab"
    for _ in range(MAX_PRESSES):
        page.keyboard.press(key)
        assert_focus_shown(page)
        if target.evaluate_all("els => els.includes(document.activeElement)"):
            return
    pytest.fail(f"{what} gick inte att nå med {key} ({MAX_PRESSES} tryck) på {page.url}")


def tab_to(page, role: str, name: str | re.Pattern, *, exact: bool = False, back=False) -> None:
    """Tab to the element with this accessible role and name."""
    target = page.get_by_role(role, name=name, exact=exact)
    focus_by_keyboard(page, target, f"{role} ”{name}”", back=back)


def focused(page) -> Locator:
    return page.locator("*:focus")


def arrive(page, check_a11y) -> None:
    """A new page: check it with axe, and that the keyboard reaches every scroll container."""
    check_a11y()
    stuck = page.evaluate(UNREACHABLE_SCROLLERS)
    assert not stuck, f"rullande rutor som tangentbordet inte når på {page.url}:\n" + "\n".join(
        stuck
    )


def press_and_load(page, key: str = "Enter") -> None:
    """Press a key that follows a link or sends a form, and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def choose(page, option: str) -> None:
    """In the focused list box, step with the arrow keys to `option`."""
    select = focused(page)
    for key in ("Home", *["ArrowDown"] * 30):
        page.keyboard.press(key)
        if select.evaluate("s => s.options[s.selectedIndex].text") == option:
            return
    pytest.fail(f"alternativet ”{option}” finns inte i listan")


def type_date(page, date: dt.date) -> None:
    """Type a date into the focused date field part by part, in the order the browser shows
    them (its language decides: 2026-03-12 in Swedish, 03/12/2026 in American English). Like a
    sighted user, the test sees which part has the focus: the up arrow changes that part."""
    field = focused(page)
    parts = [f"{date.year:04d}", f"{date.month:02d}", f"{date.day:02d}"]
    for _ in parts:
        before = field.input_value().split("-")
        page.keyboard.press("ArrowUp")
        after = field.input_value().split("-")
        page.keyboard.press("ArrowDown")
        part = next(i for i in range(3) if before[i] != after[i])
        page.keyboard.type(parts[part])
        if part == 0:
            page.keyboard.press("ArrowRight")  # a year may have more digits: move on by hand


def safe_day(date: dt.date) -> dt.date:
    """A day that every month has, so that stepping the month or year keeps the date valid."""
    return date.replace(day=min(date.day, 28))


OLD = safe_day(GIVEN)
NEW = safe_day(OLD - dt.timedelta(days=40))  # another month, in the past


def test_the_everyday_story_with_the_keyboard_alone(page, visit, check_a11y, sjuharad, alice):
    idea = idea_with_parties(sjuharad, alice)
    services.move_idea(idea, IdeaStep.IDEA_DESIGNED, by=alice, expected_version=idea.version)
    IdeaFactory(need=NeedFactory(forbund=sjuharad), title="Stöd till nyanlända")
    # Alice works in the project too, so she proves a second factor at login.
    ProjectStaff.objects.create(user=alice, idea=idea, added_by=alice)
    TOTPDevice.objects.create(user=alice, name="Telefon", confirmed=True)
    IdeaParty.objects.filter(idea=idea, organisation=kommun("1490")).update(mandate_given_on=OLD)

    # Log in: user name, password, and the code from the app.
    visit("/logga-in/")
    focus_by_keyboard(page, page.get_by_label("Användarnamn"), "fältet Användarnamn")
    page.keyboard.type("alice")
    focus_by_keyboard(page, page.get_by_label("Lösenord"), "fältet Lösenord")
    page.keyboard.type("korrekt-häst-batteri-9")
    press_and_load(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tvåstegsverifiering")
    arrive(page, check_a11y)
    tab_to(page, "textbox", "Sexsiffrig kod från din app")
    page.keyboard.type(totp_code(page, "alice"))
    tab_to(page, "button", "Fortsätt")
    press_and_load(page)

    # The start page; the skip link is the first stop and moves the focus to the content.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Välkommen, {alice.first_name}")
    arrive(page, check_a11y)
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Hoppa till innehållet")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    assert_focus_shown(page)
    page.keyboard.press("Enter")
    expect(page.locator("main#innehall")).to_be_focused()

    # The förbund's process: the track filter answers the arrow keys in place (htmx) and the
    # focus stays where it was; the board scrolls with the arrow keys.
    tab_to(page, "link", "Öppna förbundets process (tavlan)")
    press_and_load(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sjuhärads samordningsförbund")
    arrive(page, check_a11y)
    tab_to(page, "combobox", "Spår")
    with page.expect_response(lambda r: "track=E" in r.url):
        choose(page, "Spår E: ESF+")
    expect(page.get_by_role("heading", name="Spår F: Finsam-insatser")).to_have_count(0)
    expect(page.get_by_role("combobox", name="Spår")).to_be_focused()
    arrive(page, check_a11y)
    board = page.get_by_role("region", name="Spår E: ESF+-projektidéer")
    focus_by_keyboard(page, board, "tavlan för spår E")
    assert board.evaluate("el => el.scrollWidth > el.clientWidth"), "tavlan rullar inte"
    page.keyboard.press("ArrowRight")
    page.wait_for_function("el => el.scrollLeft > 0", arg=board.element_handle())

    # Back up into the menu for the list of ideas.
    tab_to(page, "link", "Projektidéer", exact=True, back=True)
    press_and_load(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("ESF+-projektidéer")
    arrive(page, check_a11y)
    expect(page.get_by_role("link", name="Stöd till nyanlända")).to_be_visible()

    # Filter on one step: Space ticks the box, Enter on the button sends the form.
    tab_to(page, "checkbox", str(IdeaStep.IDEA_DESIGNED.label), exact=True)
    page.keyboard.press("Space")
    expect(focused(page)).to_be_checked()
    tab_to(page, "button", "Filtrera")
    press_and_load(page)
    expect(page).to_have_url(re.compile(r"step=idea_designed"))
    arrive(page, check_a11y)
    expect(page.get_by_role("link", name="Stöd till nyanlända")).to_have_count(0)
    expect(page.get_by_role("checkbox", name=str(IdeaStep.IDEA_DESIGNED.label))).to_be_checked()

    # Download the filtered list: the file is the CSV, not the page.
    tab_to(page, "link", "Ladda ner som CSV")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".csv")
    text = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    assert not text.lstrip().startswith("<"), text[:80]
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == IDEA_HEADER
    assert [row[0] for row in rows[1:]] == ["Vägen till arbete"]

    # Open the idea, then Borås's row.
    tab_to(page, "link", "Vägen till arbete", exact=True, back=True)
    press_and_load(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Projektidé: Vägen till arbete")
    arrive(page, check_a11y)
    tab_to(page, "link", "Ändra Borås stad")
    press_and_load(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ändra Borås stad som part")
    arrive(page, check_a11y)

    # Type the new mandate date over the old one (a date field takes its parts in turn).
    tab_to(page, "textbox", "Datum då mandatet gavs")
    expect(focused(page)).to_have_value(OLD.isoformat())
    type_date(page, NEW)
    expect(focused(page)).to_have_value(NEW.isoformat())
    tab_to(page, "button", "Spara parten")
    press_and_load(page)
    expect(page.get_by_role("status")).to_contain_text("Borås stad är sparad som part.")
    arrive(page, check_a11y)
    boras = page.get_by_role("row", name=re.compile("^Borås"))
    expect(boras).to_contain_text(f"Ja, {NEW.isoformat()}")  # the mandate column
    party = IdeaParty.objects.get(idea=idea, organisation=kommun("1490"))
    assert party.mandate_given_on == NEW

    # A step the rules refuse (R6: the region's representative has no mandate): the focus goes
    # to the error summary, and its link takes the focus to what must change, the parties.
    tab_to(page, "combobox", "Nytt steg")
    choose(page, str(IdeaStep.OWNER_AGREED.label))
    tab_to(page, "button", "Spara steget")
    press_and_load(page)
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("(R6)")
    assert_focus_shown(page)
    arrive(page, check_a11y)
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link", name=re.compile(r"\(R6\)"))).to_be_focused()
    assert_focus_shown(page)
    page.keyboard.press("Enter")
    parties = page.get_by_role("heading", name="Medverkande parter", level=2)
    expect(parties).to_be_focused()
    assert_focus_shown(page)
    assert_on_screen(parties, "rubriken Medverkande parter")
    # The next Tab is in the parties table, where the mandate is registered.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Ändra Borås stad")).to_be_focused()
    idea.refresh_from_db()
    assert idea.step == IdeaStep.IDEA_DESIGNED

    # Removing a party cannot be undone: Enter opens the question, the keyboard says no.
    tab_to(page, "button", "Ta bort Västra Götalandsregionen")
    press_and_load(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ta bort Västra Götalandsregionen som part i Vägen till arbete?"
    )
    arrive(page, check_a11y)
    tab_to(page, "link", "Avbryt")
    press_and_load(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Projektidé: Vägen till arbete")
    arrive(page, check_a11y)
    assert IdeaParty.objects.filter(idea=idea, organisation=region("14")).exists()

    # Log out.
    tab_to(page, "button", "Logga ut", back=True)
    press_and_load(page)
    expect(page.get_by_role("button", name="Logga in")).to_be_visible()
    arrive(page, check_a11y)
