"""At 390 px nothing scrolls sideways as a whole; targets are big enough; charts readable.

WCAG 1.4.10 Reflow: a wide table scrolls inside its own region, named after the table and
reachable with the keyboard; WCAG 2.5.8: targets at least 24×24 px, and the menu's links and
the buttons 44 px tall. The pipeline board becomes a list of steps on a phone and says so;
the charts' labels are body size and never cut off.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(transactional_db):
    from samsyn.demo import DEMO_PASSWORD, load_everything
    from samsyn.parties.models import Forbund

    load_everything()
    return Forbund.objects.get(organisation__name="Sjuhärads samordningsförbund"), DEMO_PASSWORD


def page_width(page) -> tuple[int, int]:
    return page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )


def test_phone_layout_wide_tables_scroll_in_their_own_labelled_region(page, log_in, visit, demo):
    forbund, password = demo
    page.set_viewport_size(PHONE)
    log_in("anna", password)
    visit("/projektideer/")
    scroll, width = page_width(page)
    assert scroll <= width, f"sidan är {scroll} px bred vid {width} px"
    region = page.locator(".table-scroll.scrolls").first
    expect(region).to_have_attribute("role", "region")
    expect(region).to_have_attribute("tabindex", "0")
    named = re.compile(r"^\d+ projektidéer \(rulla i sidled\)$")
    expect(region).to_have_attribute("aria-label", named)
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    # The keyboard reaches it and scrolls it.
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("el => el.scrollLeft > 0", arg=region.element_handle())

    # Menu links are 44 px tall, buttons too; every checkbox at least 24 × 24.
    for link in page.get_by_role("navigation", name="Huvudmeny").get_by_role("link").all():
        assert link.bounding_box()["height"] >= 44, link.inner_text()
    for button in page.locator("button:visible").all():
        box = button.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 24, button.inner_text()
    for box in page.locator("input[type=checkbox]:visible").all():
        size = box.bounding_box()
        assert size["width"] >= 24 and size["height"] >= 24


def test_phone_layout_board_is_a_list_of_steps_and_the_charts_stay_readable(
    page, log_in, visit, demo
):
    forbund, password = demo
    page.set_viewport_size(PHONE)
    log_in("anna", password)
    visit(f"/forbund/{forbund.pk}/")
    scroll, width = page_width(page)
    assert scroll <= width
    columns = page.locator(".board .column")
    first, second = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
    assert second["y"] > first["y"] and abs(second["x"] - first["x"]) < 2  # one under the other
    expect(page.get_by_text("Stegen visas under varandra.").first).to_be_visible()

    # At desktop width the board says where it continues.
    page.set_viewport_size({"width": 1366, "height": 768})
    expect(page.get_by_text("Tavlan fortsätter åt höger").first).to_be_visible()
    page.set_viewport_size(PHONE)

    visit("/uppfoljning/")
    assert page_width(page)[0] <= page_width(page)[1]
    body = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    charts = page.locator("figure.chart svg")
    assert charts.count() >= 3
    for i in range(charts.count()):
        problems = charts.nth(i).evaluate(
            """(svg, body) => {
              const box = svg.getBoundingClientRect();
              return [...svg.querySelectorAll('text')].flatMap(t => {
                const r = t.getBoundingClientRect();
                const size = parseFloat(getComputedStyle(t).fontSize);
                const out = [];
                if (size < body) out.push(`${t.textContent}: ${size} px`);
                if (r.right > box.right + 0.5 || r.left < box.left - 0.5)
                  out.push(`${t.textContent}: utanför diagrammet`);
                return out;
              });
            }""",
            body,
        )
        assert not problems, problems
