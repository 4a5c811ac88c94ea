"""Writes of the relationship that span several records: each one transaction, one version, one log entry."""

from django.contrib.admin.models import ADDITION
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from editorial import services
from editorial.i18n import language_codes

from .models import Delegation, DelegationMember, Meeting


def duplicate_as_next_session(*, meeting: Meeting, user) -> Meeting:
    """A draft of the next session: the number up by one, the other party hosting, the delegations and
    their members copied. Its date is a placeholder a year later, for the editor to correct.

    Raises ValidationError for an unnumbered meeting or a number already taken, PermissionDenied
    for a user who may not add meetings; either way nothing is created.
    """
    with transaction.atomic():
        services.require(user, Meeting, "add")
        meeting = services.lock(meeting)
        if meeting.number is None:
            raise ValidationError(_("Only a numbered session can be duplicated as the next one."), code="unnumbered")
        number = meeting.number + 1
        if Meeting.objects.filter(dialogue_id=meeting.dialogue_id, number=number).exists():
            raise ValidationError(
                _("This dialogue already has a session number %(number)d."), code="taken", params={"number": number}
            )
        delegations = list(meeting.delegations.select_related("party").prefetch_related("members", "organizations"))
        try:
            start = meeting.start_date.replace(year=meeting.start_date.year + 1)
        except ValueError:  # 29 February
            start = meeting.start_date.replace(year=meeting.start_date.year + 1, day=28)
        copy = Meeting(
            dialogue_id=meeting.dialogue_id,
            number=number,
            kind=meeting.kind,
            start_date=start,
            host=meeting.next_host([delegation.party for delegation in delegations]),
        )
        copy.save()
        copy.topics.set(meeting.topics.all())
        note_fields = [f"note_{code}" for code in language_codes()]
        title_fields = [f"title_{code}" for code in language_codes()]
        owned = []
        for delegation in delegations:
            new = Delegation.objects.create(
                meeting=copy, party=delegation.party, **{name: getattr(delegation, name) for name in note_fields}
            )
            new.organizations.set(delegation.organizations.all())
            owned.append(new)
            for member in delegation.members.all():
                owned.append(
                    DelegationMember.objects.create(
                        delegation=new,
                        person_id=member.person_id,
                        role=member.role,
                        organization_id=member.organization_id,
                        order=member.order,
                        **{name: getattr(member, name) for name in title_fields},
                    )
                )
        services.record(
            item=copy,
            user=user,
            message=lambda: _("Duplicated from %(meeting)s.") % {"meeting": meeting},
            flag=ADDITION,
            owned=owned,
        )
    return copy
