"""The party pages: the treasurer records, reverses, remits and receives from the pages;
the reconciliation lists a missing receipt; receipts and slips print; the Excel export
adds up; another community's treasurer gets 404 for everything here."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import load_workbook

from fangkong.party import services
from fangkong.party.models import Donation, DonationImport, Remittance
from tests.conftest import World
from tests.party.conftest import Party


def test_the_treasurer_works_from_the_pages(world: World, party: Party) -> None:
    c = world.client(party.treasurer)
    assert c.get("/party/").status_code == 200
    page = c.get(f"/party/orgs/{party.branch1.pk}/")
    assert page.status_code == 200 and "登记捐款" in page.content.decode()
    bad = c.post(
        f"/party/orgs/{party.branch1.pk}/donate/",
        {"member": party.members[0].pk, "amount": "12.345", "channel": "cash",
         "on": timezone.localdate().isoformat()},
    )  # fmt: skip
    assert bad.status_code == 400 and 'data-error-for="amount"' in bad.content.decode()
    ok = c.post(
        f"/party/orgs/{party.branch1.pk}/donate/",
        {"member": party.members[0].pk, "amount": "200", "channel": "transfer",
         "receipt_no": "WX1", "on": timezone.localdate().isoformat()},
        follow=True,
    )  # fmt: skip
    assert ok.status_code == 200 and "超过建议金额" in ok.content.decode()
    d = Donation.objects.get()
    assert d.amount == Decimal("200.00") and d.above_suggested
    assert c.get(f"/party/donations/{d.pk}/receipt/").status_code == 200
    remitted = c.post(
        f"/party/orgs/{party.branch1.pk}/remit/",
        {"amount": "150", "sent_on": timezone.localdate().isoformat()},
    )
    assert remitted.status_code == 302
    batch = Remittance.objects.get()
    assert c.get(f"/party/remittances/{batch.pk}/slip/").status_code == 200
    recon = c.get(f"/party/orgs/{party.community.pk}/reconciliation/").content.decode()
    assert 'data-difference="not_received"' in recon
    assert c.get("/party/remittances/?pending=1").status_code == 200
    assert (
        c.post(f"/party/remittances/{batch.pk}/receive/", {"received_amount": "150"}).status_code
        == 302
    )
    recon = c.get(f"/party/orgs/{party.community.pk}/reconciliation/").content.decode()
    assert 'data-differences="0"' in recon
    reversed_ = c.post(f"/party/donations/{d.pk}/reverse/", {"note": "test"}, follow=True)
    # 50 yuan is still held by the branch, not enough to reverse 200.
    assert "不足以冲销" in reversed_.content.decode()
    export = c.get(f"/party/orgs/{party.community.pk}/export.xlsx")
    assert export.status_code == 200
    wb = load_workbook(io.BytesIO(export.content))
    summary = wb.worksheets[0]
    last = [cell.value for cell in summary[summary.max_row]]
    assert last[0] == "宛平城社区党委" and Decimal(str(last[4])) == Decimal("200")


def test_another_communitys_treasurer_gets_404(world: World, party: Party) -> None:
    d = services.donation_record(
        actor=party.treasurer, member=party.members[0], amount="10", channel="cash"
    )
    b = services.remittance_send(actor=party.treasurer, org=party.branch1, amount="10")
    c = world.client(party.zg_treasurer)
    home = c.get("/party/").content.decode()
    assert "宛平" not in home and "镇国寺社区党委" in home
    for url in (
        f"/party/orgs/{party.branch1.pk}/",
        f"/party/orgs/{party.community.pk}/reconciliation/",
        f"/party/orgs/{party.community.pk}/export.xlsx",
        f"/party/donations/{d.pk}/receipt/",
        f"/party/remittances/{b.pk}/slip/",
    ):
        assert c.get(url).status_code == 404, url
    assert c.post(f"/party/remittances/{b.pk}/receive/").status_code == 404
    assert c.post(f"/party/donations/{d.pk}/reverse/", {"note": "x"}).status_code == 404
    assert "宛平" not in c.get("/party/remittances/").content.decode()


def test_the_workbench_shows_batches_to_receive(world: World, party: Party) -> None:
    services.donation_record(
        actor=party.treasurer, member=party.members[0], amount="10", channel="cash"
    )
    services.remittance_send(actor=party.treasurer, org=party.branch1, amount="10")
    home = world.client(party.treasurer).get("/").content.decode()
    assert "待接收的上缴批次" in home
    assert "待接收的上缴批次" not in world.client(party.zg_treasurer).get("/").content.decode()


def test_pages_read_in_english(world: World, party: Party) -> None:
    c = world.client(party.treasurer)
    c.cookies["django_language"] = "en"
    page = c.get(f"/party/orgs/{party.branch1.pk}/")
    assert "Record a donation" in page.content.decode()


def test_the_workbench_shows_money_held_and_lists_to_confirm(world: World, party: Party) -> None:
    """What the treasurer must still do: pass up what the branch holds (one tap to its
    remittance form), confirm a transfer list read but not recorded."""
    services.org_set_treasurer(actor=world.admin, org=party.branch1, treasurer=party.treasurer)
    c = world.client(party.treasurer)
    assert "结存待上缴" not in c.get("/").content.decode()
    services.donation_record(
        actor=party.treasurer, member=party.members[0], amount="150.50", channel="cash"
    )
    home = c.get("/").content.decode()
    assert "结存待上缴" in home and "150.50" in home
    assert f"/party/orgs/{party.branch1.pk}/#remit" in home
    services.remittance_send(actor=party.treasurer, org=party.branch1, amount="150.50")
    assert "结存待上缴" not in c.get("/").content.decode()

    DonationImport.objects.create(org=party.branch1, by=party.treasurer, rows=[], headers=[])
    home = c.get("/").content.decode()
    assert "待确认的转账名单" in home
    assert "待确认的转账名单" not in world.client(party.zg_treasurer).get("/").content.decode()


def test_the_level_above_is_linked_only_where_it_may_be_opened(world: World, party: Party) -> None:
    """A community treasurer sees the working committee's name above its committee, not a
    link to a page that would answer 404; the street's treasurer gets the link."""
    community = f"/party/orgs/{party.community.pk}/"
    above = f'href="/party/orgs/{party.working.pk}/"'
    page = world.client(party.treasurer).get(community).content.decode()
    assert party.working.name in page and above not in page
    assert world.client(party.treasurer).get(f"/party/orgs/{party.working.pk}/").status_code == 404
    assert above in world.client(party.street_treasurer).get(community).content.decode()
