import io

from konflik import demo as core_demo
from konflik.models import Reminder, User
from teams import demo
from teams.models import FollowUp, Meeting, Member, Team


def test_demo_seed_is_idempotent_and_has_reminders_soon(db):
    core_demo.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())
    counts = (Team.objects.count(), Member.objects.count(), Meeting.objects.count())
    demo.seed(stdout=io.StringIO())
    assert (Team.objects.count(), Member.objects.count(), Meeting.objects.count()) == counts
    assert counts[0] == 15
    assert Member.objects.filter(user=User.objects.get(username="anggota"), team__region_id="61.71").exists()
    assert all("(demo)" in name for name in Member.objects.values_list("name", flat=True))
    soon = Meeting.objects.get(title=demo.SOON_TITLE)
    assert Reminder.objects.filter(object_id=str(soon.pk), status="pending").order_by("due_at").first()
    assert Meeting.objects.visible_to(User.objects.get(username="anggota")).filter(pk=soon.pk).exists()


def test_the_demo_member_has_an_open_item_to_close(db, web):
    core_demo.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())
    anggota = User.objects.get(username="anggota")
    (item,) = FollowUp.objects.visible_to(anggota).filter(status="open")
    page = web(anggota).get(f"/tim/tindak-lanjut/{item.pk}/").content.decode()
    assert "Tandai selesai" in page
