"""The transition table: where each trigger leads, and where it must not."""
from __future__ import annotations

from kiosk.journey.plan import Step
from kiosk.journey.table import Trigger, ends_session, resolve

PLAN = [Step.GUIDE, Step.IDENTIFY, Step.FORM, Step.MATERIALS, Step.SIGN, Step.REVIEW, Step.SUBMIT, Step.RESULT,
        Step.RECEIPT, Step.END]


def test_next_and_back_follow_the_items_plan():
    assert resolve(Trigger.NEXT, Step.FORM, PLAN) == Step.MATERIALS
    assert resolve(Trigger.BACK, Step.SIGN, PLAN) == Step.MATERIALS
    assert resolve(Trigger.BACK, Step.IDENTIFY, PLAN) == Step.GUIDE
    assert resolve(Trigger.BACK, Step.GUIDE, PLAN) == Step.CATALOG
    assert resolve(Trigger.BACK, Step.CATALOG, []) == Step.HOME


def test_no_way_back_or_out_once_the_application_is_being_stored():
    for step in (Step.SUBMIT, Step.RESULT, Step.RECEIPT, Step.END):
        assert resolve(Trigger.BACK, step, PLAN) is None
    assert resolve(Trigger.CANCEL, Step.SUBMIT, PLAN) is None
    assert resolve(Trigger.NEXT, Step.SUBMIT, PLAN) is None  # only the outcome (DECIDED) leaves it
    assert resolve(Trigger.DECIDED, Step.SUBMIT, PLAN) == Step.RESULT


def test_review_leads_to_submit_only_by_next_and_result_to_receipt_only_by_print():
    assert resolve(Trigger.NEXT, Step.REVIEW, PLAN) == Step.SUBMIT
    assert resolve(Trigger.NEXT, Step.RESULT, PLAN) is None
    assert resolve(Trigger.PRINT, Step.RESULT, PLAN) == Step.RECEIPT
    assert resolve(Trigger.PRINT, Step.REVIEW, PLAN) is None


def test_a_stale_trigger_from_the_wrong_screen_goes_nowhere():
    assert resolve(Trigger.WAKE, Step.FORM, PLAN) is None
    assert resolve(Trigger.CHOOSE, Step.MATERIALS, PLAN) is None
    assert resolve(Trigger.DECIDED, Step.REVIEW, PLAN) is None
    assert resolve(Trigger.NEXT, Step.MATERIALS, [Step.GUIDE]) is None  # a step not in the plan


def test_leaving_personal_steps_for_home_ends_the_session():
    assert ends_session(Trigger.CANCEL, Step.FORM, Step.HOME)
    assert ends_session(Trigger.FINISH, Step.END, Step.HOME)
    assert ends_session(Trigger.TIMEOUT, Step.CATALOG, Step.ATTRACT)
    assert not ends_session(Trigger.BACK, Step.CATALOG, Step.HOME)
