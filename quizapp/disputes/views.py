"""The "disputes" blueprint: a student disputes one part of a key, on a page of its own (no script needed)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from quizapp import formatting
from quizapp.accounts.access import login_required
from quizapp.disputes import filing, limits, outcomes, parts
from quizapp.disputes.forms import DisputeForm
from quizapp.forms import text_of

bp = Blueprint("disputes", __name__)


@bp.route(f"/answers/<id:answer_id>/disputes/{parts.IN_URL}", methods=["GET", "POST"])
@login_required
def dispute(answer_id: int, part: str) -> ResponseReturnValue:
    context = filing.answer_of(answer_id, g.user.id)
    if context is None:
        abort(404)  # another student's answer is answered like one that does not exist
    if context.keys_hidden:
        flash("You can question a key once you have finished this attempt.", "info")
        return redirect(url_for("quiz.take", attempt_id=context.attempt.id))
    here = url_for("disputes.dispute", answer_id=answer_id, part=part)
    earlier = filing.disputes_of(answer_id, part)
    closed = filing.why_not(context, part, earlier)
    labels = formatting.labels()
    options = filing.options(context, part)
    form = DisputeForm()
    form.set_options([(value, parts.label(part, value, context.quiz, labels["claim_labels"])) for value in options])
    status, wait = 200, 0
    if request.method == "POST":
        if closed is not None:
            flash(closed, "info")
            return redirect(here)
        wait = limits.seconds_to_wait(g.user.id)
        if wait:
            status = 429  # what they wrote stays in the form below
        elif form.validate_on_submit():
            try:
                filing.send(context, part, form.argued_for.data, text_of(form.reason))
            except filing.AlreadyOpen:
                flash("You had already sent this dispute; it is kept once.", "info")
            else:
                limits.sent(g.user.id)
                flash("Sent. Your teacher will read it beside other students' arguments and answer here.", "success")
            return redirect(here)
        else:
            status = 400
    else:
        chosen = parts.chosen(context.answer, part)
        if chosen in options:
            form.argued_for.data = chosen  # most students argue for what they answered
    response = render_template(
        "disputes/dispute.html",
        context=context,
        part=part,
        version=context.scored,
        chosen=parts.chosen(context.answer, part),
        explanation=getattr(context.scored, f"explain_{part}"),
        earlier=outcomes.outcomes(earlier),
        closed=closed,
        form=form,
        wait=limits.wait_text(wait) if wait else None,
        reason_min=filing.REASON_MIN,
        reason_max=filing.REASON_MAX,
        **labels,
    )
    headers = {"Retry-After": str(wait)} if wait else {}
    return response, status, headers
