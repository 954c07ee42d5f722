from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from ..extensions import db, limiter
from ..mail.services import send_mail_or_log
from .access import Permission, by_token, landing_endpoint, public, requires
from .forms import ROLE_LABELS, ForgotPasswordForm, LoginForm, ResetPasswordForm, StaffUserForm
from .models import Role, StaffUser
from .services import (
    RESET_LINK_HOURS,
    authenticate,
    create_staff_user,
    finish_password_reset,
    normalise_email,
    start_password_reset,
    user_for_reset,
)

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths: a login link must not bounce people to another site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for(landing_endpoint(current_user)))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or url_for(landing_endpoint(user)))
        # One message for both: never tell which of e-mail or password was wrong.
        form.password.errors.append(_("The e-mail address or password is not correct."))
    return render_template("accounts/login.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@public
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        started = start_password_reset(form.email.data)
        if started is not None:
            user, token = started
            link = url_for(".reset_password", token=token, _external=True)
            send_mail_or_log(user.email, _("Set a new password for Meet & Greet"), _(
                "Hello %(name)s,\n\nWith this link you can set a new password (it works for "
                "%(hours)d hour and only once):\n%(link)s\n\nDid you not ask for this? Then "
                "you can ignore this mail; your password stays the same.",
                name=user.name, hours=RESET_LINK_HOURS, link=link), to_name=user.name,
                about=f"password reset for staff {user.id}")
        # The same answer either way: this page must not tell which addresses have accounts.
        flash(_("If this address belongs to a staff account, a link to set a new password is "
                "on its way."), "success")
        return redirect(url_for(".login"))
    return render_template("accounts/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@by_token("password-reset")
def reset_password(token: str):
    user = user_for_reset(token)
    if user is None:
        return render_template("accounts/reset_invalid.html"), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        finish_password_reset(user, form.password.data)
        flash(_("Your new password is set. You can log in now."), "success")
        return redirect(url_for(".login"))
    return render_template("accounts/reset.html", form=form)


@bp.route("/logout", methods=["POST"])
@public
def logout():
    logout_user()
    flash(_("You are logged out."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/staff/accounts")
@requires(Permission.STAFF_ACCOUNTS)
def list_staff():
    users = db.session.scalars(select(StaffUser).order_by(StaffUser.name)).all()
    return render_template("accounts/list.html", users=users, role_labels=ROLE_LABELS)


@bp.route("/staff/accounts/new", methods=["GET", "POST"])
@requires(Permission.STAFF_ACCOUNTS)
def create_staff():
    form = StaffUserForm()
    if form.validate_on_submit():
        user = create_staff_user(
            form.email.data, form.name.data, form.role.data, form.password.data
        )
        user.active = form.active.data
        db.session.commit()
        flash(_("Staff account for %(name)s created.", name=user.name), "success")
        return redirect(url_for(".list_staff"))
    return render_template("accounts/edit.html", form=form, user=None)


@bp.route("/staff/accounts/<int:user_id>", methods=["GET", "POST"])
@requires(Permission.STAFF_ACCOUNTS)
def edit_staff(user_id: int):
    user = db.session.get(StaffUser, user_id) or abort(404)
    form = StaffUserForm(obj=user, editing=user)
    if request.method == "GET":
        form.role.data = user.role.value
    if form.validate_on_submit():
        if user.id == current_user.id and (form.role.data != Role.ADMIN or not form.active.data):
            # Keeps at least the acting admin able to undo what they just did.
            form.role.errors.append(_("You cannot remove your own administrator rights."))
        else:
            user.name = form.name.data.strip()
            user.email = normalise_email(form.email.data)
            user.role = Role(form.role.data)
            if user.active and not form.active.data:
                user.session_version += 1
            user.active = form.active.data
            if form.password.data:
                user.set_password(form.password.data)
            db.session.commit()
            flash(_("Staff account for %(name)s saved.", name=user.name), "success")
            return redirect(url_for(".list_staff"))
    return render_template("accounts/edit.html", form=form, user=user)
