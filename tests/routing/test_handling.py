"""What the holding body does: respond, dispose down, redirect (no wrong door, loops
noticed), escalate, ask, note, resolve; and the permission matrix role × body × action."""

import pytest

from agencies.models import Body
from complaints.models import EventKind, ReportStatus, Visibility
from lapor.errors import Invalid, NotAllowed
from routing.errors import RedirectReturns
from routing.models import Disposition
from routing.services import handling, verification
from routing.services.moves import holder_path
from tests.conftest import body, make_user
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(verifier_national):
    """A report verified and sent to Kota Semarang (body A)."""
    report = ReportFactory()
    return verification.disposition_report(report=report, to_body=body("regency-33.74"),
                                           actor=verifier_national)


def test_first_response_stops_the_clock_then_responses_follow(held, operator_a):
    assert held.due_at is not None and held.holder_responded_at is None
    handling.respond(report=held, actor=operator_a, note="Kami cek ke lokasi besok.")
    held.refresh_from_db()
    assert held.holder_responded_at is not None
    # the queue now sorts it by the next substantive follow-up (5 working days), not the 24
    # hours
    from routing.models import Clock

    next_step = Clock.objects.get(report=held, kind="next_step", state="running")
    assert held.due_at == next_step.due_at
    assert held.status == ReportStatus.IN_PROGRESS
    handling.respond(report=held, actor=operator_a, note="Sudah ditinjau.")
    kinds = list(held.events.order_by("seq").values_list("kind", flat=True))
    assert kinds[-2:] == [EventKind.FIRST_RESPONSE, EventKind.RESPONSE]


def test_each_receiving_body_owes_its_own_first_response(held, operator_a):
    handling.respond(report=held, actor=operator_a, note="Diterima.")
    handling.redirect(report=held, actor=operator_a, to_body=body("kemenhub"),
                      reason="Jalan nasional, kewenangan Kemenhub.")
    held.refresh_from_db()
    assert held.holder_body == body("kemenhub")
    assert held.holder_responded_at is None and held.due_at is not None
    assert held.first_dispositioned_at < held.held_since  # the 60-day start is unchanged


def test_redirect_needs_a_reason_and_shows_the_path(held, operator_a):
    with pytest.raises(Invalid, match="alasan pengalihan"):
        handling.redirect(report=held, actor=operator_a, to_body=body("kemenhub"), reason="")
    handling.redirect(report=held, actor=operator_a, to_body=body("kemenhub"),
                      reason="Jalan nasional.")
    kemenhub_operator = make_user("op.hub@example.id", "Operator Hub", "operator", "kemenhub")
    handling.redirect(report=held, actor=kemenhub_operator, to_body=body("kemenpu"),
                      reason="Pemeliharaan jalan di Kementerian PU.")
    assert [b.source_key for b in holder_path(held)] == ["regency-33.74", "kemenhub", "kemenpu"]
    event = held.events.get(kind=EventKind.REDIRECTED, to_body=body("kemenhub"))
    assert event.from_body == body("regency-33.74") and event.note == "Jalan nasional."
    assert event.visibility == Visibility.PUBLIC


def test_redirect_back_to_a_body_it_left_warns_and_needs_confirmation(held, operator_a):
    handling.redirect(
        report=held, actor=operator_a, to_body=body("kemenhub"), reason="Jalan nasional."
    )
    hub = make_user("op.hub@example.id", "Operator Hub", "operator", "kemenhub")
    with pytest.raises(RedirectReturns) as warning:
        handling.redirect(report=held, actor=hub, to_body=body("regency-33.74"),
                          reason="Ini jalan kota.")
    assert "Pemkot Semarang → Kemenhub → Pemkot Semarang" in str(warning.value)
    held.refresh_from_db()
    assert held.holder_body == body("kemenhub")  # nothing moved
    handling.redirect(report=held, actor=hub, to_body=body("regency-33.74"),
                      reason="Ini jalan kota.", confirm_return=True)
    event = held.events.order_by("-seq").first()
    assert event.data["returns_to_previous_holder"] is True


def test_dispose_down_only_to_a_unit_below(held, operator_a, supervisor_a):
    from agencies import services

    unit = services.create_unit(parent=body("regency-33.74"), name="Dinas PU", actor=supervisor_a)
    with pytest.raises(Invalid, match="unit di bawah"):
        handling.dispose_down(report=held, actor=operator_a, to_body=body("regency-35.78"))
    handling.dispose_down(report=held, actor=operator_a, to_body=unit, note="Tolong tangani.")
    held.refresh_from_db()
    assert held.holder_body == unit
    assert Disposition.objects.filter(report=held, kind="down").exists()
    # the operator of the city no longer acts on it, the supervisor above still does
    with pytest.raises(NotAllowed, match="tidak dipegang"):
        handling.respond(report=held, actor=operator_a, note="x")
    handling.respond(report=held, actor=supervisor_a, note="Ditangani Dinas PU.")


def test_escalate_goes_to_the_parent(held, operator_a):
    handling.escalate(report=held, actor=operator_a, note="Butuh anggaran provinsi.")
    held.refresh_from_db()
    assert held.holder_body == body("province-33")


def test_internal_note_is_staff_only_and_resolution_reopens_on_dispute(held, operator_a):
    from complaints.services import citizen

    handling.add_internal_note(report=held, actor=operator_a, note="Anggaran baru ada Maret.")
    assert held.events.get(kind=EventKind.INTERNAL_NOTE).visibility == Visibility.STAFF
    handling.request_information(report=held, actor=operator_a, note="Di RT berapa?")
    handling.resolve(report=held, actor=operator_a, answer="Jalan sudah ditambal 12 November.")
    held.refresh_from_db()
    assert held.status == ReportStatus.RESOLVED and held.resolved_at
    citizen.dispute_resolution(report=held, actor=held.reporter, reason="Masih berlubang.")
    held.refresh_from_db()
    assert held.status == ReportStatus.IN_PROGRESS and held.holder_body == body("regency-33.74")


# role × body × action ----------------------------------------------------------------------

ACTIONS = {
    "respond": lambda r, u: handling.respond(report=r, actor=u, note="Tanggapan."),
    "redirect": lambda r, u: handling.redirect(report=r, actor=u, to_body=body("kemenhub"),
                                               reason="Bukan kewenangan kami."),
    "escalate": lambda r, u: handling.escalate(report=r, actor=u),
    "request_info": lambda r, u: handling.request_information(report=r, actor=u, note="?"),
    "internal_note": lambda r, u: handling.add_internal_note(report=r, actor=u, note="n"),
    "resolve": lambda r, u: handling.resolve(report=r, actor=u, answer="Selesai."),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize(
    ("person", "allowed"),
    [
        ("operator_a", True), ("supervisor_a", True), ("operator_b", False),
        ("verifier_jateng", False), ("ombudsman_jateng", False), ("system_admin", False),
        ("citizen", False),
    ],
)
def test_permission_matrix(request, held, action, person, allowed):
    user = request.getfixturevalue(person)
    if allowed:
        ACTIONS[action](held, user)
    else:
        with pytest.raises(NotAllowed, match="tidak dipegang"):
            ACTIONS[action](held, user)


@pytest.mark.parametrize(
    ("person", "allowed"),
    [("verifier_jateng", True), ("verifier_national", True), ("operator_a", False),
     ("supervisor_a", False), ("system_admin", False), ("citizen", False)],
)
def test_verification_permission_matrix(request, person, allowed):
    report = ReportFactory()
    user = request.getfixturevalue(person)
    if allowed:
        verification.disposition_report(report=report, to_body=body("regency-33.74"), actor=user)
    else:
        with pytest.raises(NotAllowed, match="bukan verifikator"):
            verification.disposition_report(report=report, to_body=body("regency-33.74"),
                                            actor=user)


def test_inactive_body_cannot_receive(held, operator_a, system_admin):
    from agencies import services

    unit = services.create_unit(parent=body("kemenhub"), name="Ditjen X", actor=system_admin)
    services.set_body_active(body=unit, is_active=False, actor=system_admin)
    with pytest.raises(Invalid, match="tidak aktif"):
        handling.redirect(report=held, actor=operator_a, to_body=Body.objects.get(pk=unit.pk),
                          reason="coba")
