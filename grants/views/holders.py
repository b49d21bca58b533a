"""What happens to a holder that decides the fate of their rights: losing a position, death (11)2, (11)3."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grants import services
from grants.forms.holders import DeathForm, PositionEndForm
from holders import services as holder_services
from holders.models import Holder

from .base import RecordFormView


class PositionEndView(RecordFormView):
    model = Holder
    form_class = PositionEndForm
    title = gettext_lazy("End a position")
    intro = gettext_lazy(
        "Ending the holder's last qualifying position opens the window of (11)2. Moving from director to "
        "executive officer is not a loss of position: start the new position first."
    )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "holder": self.get_object()}

    def perform(self, data):
        holder_services.position_end(
            position=data["position"],
            ended_on=data["ended_on"],
            reason=data["reason"],
            actor=self.actor,
        )
        return self.get_object().get_absolute_url(), _("The position was ended.")


class DeathRecordView(RecordFormView):
    model = Holder
    form_class = DeathForm
    title = gettext_lazy("Record a death")
    intro = gettext_lazy("Open positions end with reason death; no departure window opens (11)2.")
    submit_label = gettext_lazy("Record the death")

    def perform(self, data):
        services.death_record(holder=self.get_object(), died_on=data["died_on"], actor=self.actor)
        return self.get_object().get_absolute_url(), _("The death was recorded.")
