"""The steps of the journeys in tests/browser/test_journeys.py: open a screen, sign in (through
the form, or at once with a session made on the server), visit a page (a 200 that passes the
checks of ``check_page``), act on a staff report, follow every notification and every link of
the emails sent. The journeys make the background in Python; these helpers do what a person
does in the browser."""

from __future__ import annotations

import base64
import hashlib
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.test import Client
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.models import Body, User
from complaints.models import Report
from complaints.services import intake
from tests.browser.checks import (
    AXE,
    check_accessibility,
    check_no_csp_violation,
    check_no_sideways_scroll,
    watch_csp,
)
from tests.conftest import PASSWORD
from tests.factories import ReportFactory

NUMBER = re.compile(r"LPR-[0-9A-Z]{4}-[0-9A-Z]{4}")
LINK = re.compile(r"https?://[^\s<>\"]+")
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "locale": "id-ID"}
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True, "locale": "id-ID"}


# The page's structure without its words: every element with its attributes (their values
# where they decide looks and roles: class, role, id, type, aria-*, alt), whether it has text
# of its own, and its children, a run of identical siblings counted once (a timeline of three
# events and one of five are the same page to axe-core). The viewport's width and the style
# sheets are part of it.
STRUCTURE = """() => {
  const KEPT = new Set(["class", "role", "id", "for", "type", "alt", "lang", "tabindex",
                        "open", "hidden", "disabled", "scope", "headers"]);
  const word = /LPR-[0-9A-Z]{4}-[0-9A-Z]{4}|[0-9]+/g;
  function shape(el) {
    let s = el.tagName;
    for (const a of el.attributes) {
      s += " " + a.name;
      if (KEPT.has(a.name) || a.name.startsWith("aria-")) s += "=" + a.value.replace(word, "#");
    }
    if ([...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) s += " T";
    const kids = [];
    for (const child of el.children) {
      if (child.tagName === "SCRIPT") continue;
      const k = shape(child);
      if (kids[kids.length - 1] !== k) kids.push(k);
    }
    return s + "(" + kids.join(",") + ")";
  }
  const sheets = [...document.querySelectorAll("link[rel=stylesheet]")].map(l => l.href);
  return window.innerWidth + " " + sheets.join(" ") + " " + shape(document.body);
}"""
_checked: set[str] = set()


def check(page) -> None:
    """``check_page``, with axe-core run once per page structure: a page whose structure
    (``STRUCTURE``) passed before differs only in its words, which axe-core's rules on
    structure, names and colours judge alike. The sideways scroll, which words can cause, is
    checked every time."""
    shape = hashlib.sha256(page.evaluate(STRUCTURE).encode()).hexdigest()
    if shape not in _checked:
        check_accessibility(page)
        _checked.add(shape)
    check_no_sideways_scroll(page)


def with_axe(page):
    """axe-core loaded by every page of ``page``'s context as it opens (``check_page`` would
    otherwise send it to each page again)."""
    page.context.add_init_script(path=str(AXE))
    return page


@contextmanager
def screen(browser, size: dict = DESKTOP) -> Iterator:
    """A page in a context of its own (its own cookies: one person at a time)."""
    context = browser.new_context(**size)
    context.add_init_script(path=str(AXE))
    violations = watch_csp(context)
    try:
        yield context.new_page()
    finally:
        context.close()
    check_no_csp_violation(violations)


def seen(page, response=None, *, status: int = 200) -> None:
    """What follows every navigation: the page answered ``status`` and passes the checks."""
    page.wait_for_load_state()
    if response is not None:
        assert response.status == status, f"{page.url} answered {response.status}"
    check(page)


def visit(page, url: str, *, status: int = 200):
    response = page.goto(url)
    seen(page, response, status=status)
    return response


def click_through(page, target, *, status: int = 200):
    """Click a link or a submit button and land on the next page (after any redirect)."""
    with page.expect_navigation() as navigation:
        target.click()
    seen(page, navigation.value, status=status)
    return navigation.value


def sign_in(page, base: str, user: User) -> None:
    """Sign in through the login form, as a person does (with the second step where the
    person must take it)."""
    page.context.clear_cookies()
    visit(page, base + "/akun/masuk/")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    click_through(page, page.locator("main").get_by_role("button", name="Masuk"))
    second_step(page, user)


def app_code(secret: str, *, after_step: int = -1) -> str:
    """The code an authenticator app holding ``secret`` (base32, as the set-up page shows it)
    shows now, or for the first 30-second step after ``after_step`` (a code is used once)."""
    plain = secret.replace(" ", "")
    key = base64.b32decode(plain + "=" * (-len(plain) % 8))
    return f"{hotp(key, max(int(time.time()) // 30, after_step + 1)):06d}"


def second_step(page, user: User) -> None:
    """After the password: set up an authenticator app from the page's key and go on past
    the recovery codes, or enter the code of the app set up before. Nothing if not asked."""
    path = urlparse(page.url).path
    if path == "/akun/dua-langkah/pasang/":
        page.locator("#id_code").fill(app_code(page.locator("[data-secret]").inner_text()))
        click_through(page, page.locator("main").get_by_role("button", name="Aktifkan"))
        click_through(page, page.get_by_role("link", name="Saya sudah menyimpannya, lanjutkan"))
    elif path == "/akun/dua-langkah/":
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        secret = base64.b32encode(device.bin_key).decode()
        page.locator("#id_code").fill(app_code(secret, after_step=device.last_t))
        click_through(page, page.locator("main").get_by_role("button", name="Verifikasi"))


def signed_in(page, base: str, user: User) -> None:
    """Become ``user`` on ``page`` at once, with a session made on the server: for the people
    whose part starts after signing in (the form itself is walked by ``sign_in``)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME, "url": base,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
    }])


def words(locator) -> str:
    """The words of ``locator`` on one line, as written (``inner_text`` follows the layout:
    line breaks between blocks, upper case where CSS says so)."""
    return " ".join(locator.text_content().split())


def labels_off_their_fields(form) -> list[str]:
    """The labels of ``form`` that are not right above their own field (left edges aligned,
    the field just below): where a grid puts a label over another field, a sighted person
    fills in the wrong one."""
    wrong = []
    for label in form.locator("label[for]").all():
        field = form.locator("#" + label.get_attribute("for"))
        if not (label.is_visible() and field.is_visible()):
            continue
        above, below = label.bounding_box(), field.bounding_box()
        gap = below["y"] - (above["y"] + above["height"])
        if abs(above["x"] - below["x"]) > 2 or not -1 <= gap <= 16:
            wrong.append(label.inner_text())
    return wrong


def main_text(page) -> str:
    return page.locator("main").inner_text()


def message(page) -> str:
    """The success or error messages shown at the top of the page."""
    messages = page.locator("ul.messages")
    return messages.inner_text() if messages.count() else ""


def act(page, label: str, fields: dict[str, str] | None = None, *, select: dict | None = None,
        status: int = 200) -> None:
    """Open a staff action (a <details> on the report's staff page), fill it and send it."""
    panel = page.locator("details.action", has=page.locator("summary", has_text=label))
    panel.locator("> summary").click()
    form = panel.locator("form")
    for name, value in (fields or {}).items():
        form.locator(f"[name={name}]").fill(value)
    for name, value in (select or {}).items():
        form.locator(f"select[name={name}]").select_option(**value)
    click_through(page, form.get_by_role("button", name=label, exact=True), status=status)


def follow_every_notice(page, base: str) -> list[str]:
    """Open /notifikasi/ and follow each notice's link: each lands on a 200 page that shows
    the report's number (which the notice's title names). Returns the numbers seen."""
    links: list[tuple[str, str]] = []
    url = base + "/notifikasi/"
    while url:  # every page's notices first: opening one reorders them (unread first)
        visit(page, url)
        links += [(a.get_attribute("href"), a.locator(".notice-title").inner_text())
                  for a in page.locator(".notice a.notice-body").all()]
        more = page.locator("a[rel=next]")
        url = base + "/notifikasi/" + more.get_attribute("href") if more.count() else ""
    numbers = []
    for href, title in links:
        number = NUMBER.search(title)
        assert number, f"the notice “{title}” does not name its report"
        visit(page, base + href)
        assert number.group(0) in main_text(page), (title, page.url)
        numbers.append(number.group(0))
    return numbers


def emails_to(address: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if address in m.to]


def email_links(address: str) -> list[str]:
    """Every link in the emails sent to ``address`` so far, in order, without repeats."""
    links: list[str] = []
    for message_ in emails_to(address):
        for link in LINK.findall(message_.body):
            link = link.rstrip(".,;)")
            if link not in links:
                links.append(link)
    return links


def follow_email_links(page, base: str, address: str, *, skip: tuple[str, ...] = ()) -> int:
    """Open every link of the emails sent to ``address`` (as the person signed in on
    ``page``): each points at this site and lands on a 200 page that shows the report's
    number. Returns how many were followed."""
    followed = 0
    for link in email_links(address):
        assert link.startswith(base), f"an email links to {link}, not to {base}"
        if any(part in link for part in skip) or link.rstrip("/") == base:
            continue  # a link used up already (confirmation), the signature's home page
        visit(page, link)
        number = NUMBER.search(link)
        if number:
            assert number.group(0) in main_text(page), (link, page.url)
        followed += 1
    return followed


def filed(reporter: User, title: str, **values: object) -> Report:
    """A report filed through the real intake (its verification clock running, its receipt
    sent), in Kota Semarang unless told otherwise."""
    defaults = {
        "kind": "complaint", "title": title,
        "description": "Kejadian ini sudah berulang dan membahayakan warga sekitar.",
        "category": ReportFactory.category.function(),
        "province": ReportFactory.province.function(),
        "regency": ReportFactory.regency.function(),
    }
    with transaction.atomic():
        draft = intake.save_draft(filer=reporter, values={**defaults, **values})
        return intake.submit_report(report=draft, actor=reporter)


def fresh(report: Report) -> Report:
    return Report.objects.select_related("holder_body").get(pk=report.pk)


def unit_under(parent: Body, name: str) -> Body:
    return Body.objects.add_child(parent, create_kwargs={
        "name": name, "kind": Body.Kind.UNIT, "region": parent.region})


def fill_report_with_photo(page, photo, *, title: str, text: str) -> None:
    """The filing form (/lapor/) filled as a citizen in Kota Semarang does, with ``photo``
    chosen as its file (not yet sent)."""
    page.get_by_label("Aduan").check()
    page.get_by_label("Judul").fill(title)
    page.get_by_label("Isi laporan").fill(text)
    page.get_by_label("Kategori").select_option(label="Infrastruktur dan Jalan")
    page.get_by_label("Provinsi").select_option(label="Jawa Tengah")
    page.wait_for_selector("#id_regency option[value='33.74']", state="attached")
    page.get_by_label("Kabupaten/kota").select_option(value="33.74")
    page.get_by_label("Tambah berkas").set_input_files(str(photo))
