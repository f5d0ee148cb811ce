from datetime import timedelta

import factory
from django.utils import timezone

from teams.models import FollowUp, Institution, Meeting, Member, Position, Team


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("region_id",)

    region_id = "61.71"
    name = factory.LazyAttribute(lambda o: f"Tim Terpadu {o.region_id}")


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    region_id = "61.71"
    name = factory.Sequence(lambda n: f"Instansi {n}")


def position(name="Anggota"):
    return Position.objects.get(name=name)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Anggota Contoh {n}")
    office = "Kepala Bidang"
    position = factory.LazyFunction(position)
    email = factory.Sequence(lambda n: f"anggota{n}@example.test")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    team = factory.SubFactory(TeamFactory)
    title = factory.Sequence(lambda n: f"Rapat koordinasi {n}")
    kind = Meeting.Kind.LIMITED
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=2))
    place = "Aula Kesbangpol"


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    meeting = factory.SubFactory(MeetingFactory)
    team = factory.SelfAttribute("meeting.team")  # as `services.followup_create` copies it
    owner = factory.SubFactory(MemberFactory, team=factory.SelfAttribute("..meeting.team"))
    description = factory.Sequence(lambda n: f"Tindak lanjut {n}")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))
