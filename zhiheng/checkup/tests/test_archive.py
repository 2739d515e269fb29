"""R-GATE-3, the integrity archive 廉政档案: the default list of 7 categories and 25 subcategories and a
district's own versions of it; a person's timeline assembled from their declarations, exams, opinions,
inspection findings and entries — one ledger read entry per read of it, whatever it opens; entries written
by the person's commission (sealed; the person reads, nobody else sees: 404) and pushed once per source by
later capabilities; the pages and the API."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from zhiheng.checkup import archive, sealing, selectors, services
from zhiheng.checkup.errors import ArchiveCodeInUse, BadArchiveEntry, BadArchiveScheme
from zhiheng.checkup.models import ArchiveEntry, ArchiveScheme
from zhiheng.core import clock
from zhiheng.core.errors import Forbidden, NotFound
from zhiheng.core.tests.dumps import database_dump
from zhiheng.ledger.models import Entry
from zhiheng.org.tests.factories import DistrictRoleFactory, PersonFactory

from .test_checks import clean_items

SECRET_TITLE = "反映其在钓鱼山庄违规接受宴请"
SECRET_BODY = "经核查，宴请系亲属婚宴，查无实据，予以澄清"
DAY = dt.date(2026, 3, 2)
PERSONAS = (
    "principal",
    "deputy",
    "staff",
    "inspector",
    "admin",
    "other_admin",
    "other_principal",
    "outsider",
)
SEE = {"deputy", "admin"}  # the person (the deputy) and their district's commission


@pytest.fixture(autouse=True)
def own_keys(settings, tmp_path):
    settings.CHECKUP_KEY_FILE = str(tmp_path / "keys")


def payload(entry: Entry) -> dict:
    return json.loads(entry.text)["payload"]


def _reads() -> list[Entry]:
    return list(Entry.objects.filter(event_type="checkup.archive_read").order_by("index"))


def _as(client, person):
    client.force_login(person)
    return client


def _entry(world, **over):
    kwargs = {
        "by": world.admin,
        "person": world.deputy,
        "category": "reports",
        "subcategory": "unsubstantiated",
        "occurred_on": DAY,
        "title": SECRET_TITLE,
        "body": SECRET_BODY,
    }
    kwargs.update(over)
    with clock.frozen(clock.at(DAY, 15)):
        return services.add_archive_entry(**kwargs)


# ------------------------------------------------------------------------------------------- the list


def test_the_default_list_has_7_categories_and_25_subcategories():
    scheme = archive.DEFAULT_SCHEME
    assert len(scheme.categories) == 7 and scheme.subcategory_count() == 25
    assert [c.name for c in scheme.categories][1:3] == ["家庭成员", "家庭财产"]
    assert {"信访举报", "违纪处理"} <= {c.name for c in scheme.categories}
    codes = [c.code for c in scheme.categories]
    assert len(set(codes)) == 7 and all(archive.CODE.fullmatch(code) for code in codes)
    assert all(archive.CODE.fullmatch(s.code) for c in scheme.categories for s in c.subcategories)
    assert scheme.pairs() >= archive.SOURCE_PAIRS
    assert archive.parse_text(scheme.as_text()) == scheme


def test_a_written_list_names_every_wrong_line():
    text = "\n".join(
        [
            "family 家庭成员",
            "family/marriage 婚姻状况",
            "家庭财产",  # no code
            "family/marriage 再次",  # duplicate
            "",
            "reports/received 受理",  # its category is not written before it
            "empty 空类别",  # no subcategory
            "# a comment",
            "family/abroad",  # no name
        ]
    )
    with pytest.raises(BadArchiveScheme) as refused:
        archive.parse_text(text)
    assert refused.value.rule == "R-GATE-3" and refused.value.status == 422
    assert [e["line"] for e in refused.value.detail["lines"]] == [3, 4, 6, 7, 9]
    # full-width spaces and slashes, as a Chinese keyboard types them, are read
    assert archive.parse_text("a\u3000甲\na／b 乙").pairs() == {("a", "b")}


def test_the_apis_list_names_every_wrong_field():
    with pytest.raises(BadArchiveScheme) as refused:
        archive.parse_data([{"code": "Bad", "name": "x", "subcategories": []}, {"code": "ok", "name": ""}])
    assert set(refused.value.detail["fields"]) == {
        "categories[0].code",
        "categories[1].name",
        "categories[1]",
    }


# ------------------------------------------------------------------------------------------- the timeline


@pytest.fixture
def filled(world):
    """The deputy's records of every source: a declaration with family and assets, two exam sittings, an
    opinion, an inspection finding about them, and an entry written by the commission."""
    w = world
    items = clean_items(
        family_employment=[{"relation": "配偶", "name": "某某", "employer": "某公司"}],
        investments=[{"owner": "配偶", "kind": "基金", "value": 300000}],
        businesses=[{"owner": "儿子", "name": "某商行", "role": "股东"}],
    )
    with clock.frozen(clock.at(dt.date(2026, 1, 20), 10)):
        w.declaration = services.file_declaration(by=w.deputy, person=w.deputy, year=2025, items=items)
    services.record_exam(by=w.admin, person=w.deputy, score=Decimal("55"), sat_on=dt.date(2026, 2, 1))
    services.record_exam(by=w.admin, person=w.deputy, score=Decimal("82.5"), sat_on=dt.date(2026, 2, 20))
    with clock.frozen(clock.at(dt.date(2026, 2, 25), 16)):
        w.opinion = services.issue_opinion(by=w.admin, person=w.deputy, status="pending", reasons="核实中")
    checker = PersonFactory(username="t-checker", name="督察甲")
    DistrictRoleFactory(person=checker, district=w.district, role="inspection", group=1, start="2012-01-01")
    from zhiheng.inspections import services as inspections

    with clock.frozen(clock.at(dt.date(2026, 2, 10), 9)):
        check = inspections.open_inspection(by=checker, unit=w.unit, days=10)
        w.finding = inspections.record_finding(
            by=checker,
            inspection=check,
            title="分管领域采购未比价",
            severity="medium",
            deadline=dt.date(2026, 3, 31),
            concerns=w.deputy,
        )
    w.entry = _entry(w)
    return w


def test_each_source_appears_in_the_timeline_newest_first(filled):
    w = filled
    with clock.frozen(clock.at(DAY, 17)):
        shown = services.read_archive(by=w.admin, person=w.deputy)
    sources = {r.source.partition(":")[0] for r in shown.rows}
    assert sources == {"declaration", "exam", "opinion", "finding", "archive"}
    dates = [r.on for r in shown.rows]
    assert dates == sorted(dates, reverse=True)
    by_pair = {(r.category, r.subcategory): r for r in shown.rows}
    assert by_pair[("family", "employment")].title.endswith("配偶、子女及其配偶从业 1 人")
    assert by_pair[("family", "employment")].detail == "配偶"
    assert "¥300,000.00" in by_pair[("assets", "investments")].title
    assert "¥1,200,000.00" in by_pair[("assets", "real_estate")].title
    assert "城南路" not in json.dumps([r.detail + r.title for r in shown.rows], ensure_ascii=False)
    assert by_pair[("assets", "business")].detail == "经营者：儿子"
    assert by_pair[("checkup", "declaration")].source == w.declaration.subject
    exams = [r for r in shown.rows if r.subcategory == "exam"]
    assert [r.title for r in exams] == [
        "任前廉政考试（补考）：82.5 分，合格",
        "任前廉政考试（首考）：55 分，不合格",
    ]
    assert by_pair[("checkup", "opinion")].title == "廉政意见：待核实"
    finding = by_pair[("supervision", "inspection")]
    assert finding.title == "分管领域采购未比价" and "涉及本人" in finding.detail and "较重" in finding.detail
    mine = by_pair[("reports", "unsubstantiated")]
    assert (mine.title, mine.detail, mine.source) == (SECRET_TITLE, SECRET_BODY, w.entry.subject)
    assert (mine.category_name, mine.subcategory_name) == ("信访举报", "查无实据及澄清正名")
    counts = {code: n for code, _name, n in shown.counts}
    assert list(counts) == [c.code for c in archive.DEFAULT_SCHEME.categories]
    assert counts["reports"] == 1 and counts["checkup"] == 4 and counts["discipline"] == 0
    assert sum(counts.values()) == len(shown.rows)
    assert {r.category for r in shown.of("family")} == {"family"}


def test_one_read_of_the_archive_is_one_ledger_entry_naming_what_it_opened(filled):
    w = filled
    declaration_reads = Entry.objects.filter(event_type="checkup.declaration_read").count()
    services.read_archive(by=w.deputy, person=w.deputy)
    (read,) = _reads()
    assert read.actor == w.deputy.username and read.district == w.district.code
    assert payload(read)["person"] == payload(read)["reader"] == w.deputy.username
    assert sorted(payload(read)["opened"]) == sorted([w.declaration.subject, w.entry.subject])
    assert Entry.objects.filter(event_type="checkup.declaration_read").count() == declaration_reads
    assert SECRET_TITLE not in read.text


def test_nobody_else_reads_the_archive(filled):
    for persona in ("principal", "staff", "other_admin", "outsider"):
        with pytest.raises(NotFound):
            services.read_archive(by=getattr(filled, persona), person=filled.deputy)
    assert _reads() == []


def test_a_code_the_list_no_longer_has_reads_as_retired(filled):
    shown = archive.assemble(
        archive.parse_text("reports 信访\nreports/received 受理"),
        [
            archive.Row(DAY, "reports", "unsubstantiated", "t", "", "archive:1"),
            archive.Row(DAY, "x", "y", "t", "", "archive:2"),
        ],
    )
    names = {(r.category_name, r.subcategory_name) for r in shown.rows}
    assert names == {("信访", "（已停用）unsubstantiated"), ("（已停用）x", "（已停用）y")}
    assert ("x", "（已停用）x", 1) in shown.counts


# ------------------------------------------------------------------------------------------- entries


def test_the_commission_writes_an_entry_sealed_and_logged_without_its_content(filled):
    w = filled
    entry = ArchiveEntry.objects.get()
    assert sealing.unseal(entry.sealed_content) == {"title": SECRET_TITLE, "body": SECRET_BODY}
    added = Entry.objects.get(event_type="checkup.archive_entry_added")
    assert added.subject == entry.subject and added.actor == w.admin.username
    assert payload(added) == {
        "person": w.deputy.username,
        "archive_category": "reports",
        "archive_subcategory": "unsubstantiated",
        "district": w.district.code,
    }
    dump = database_dump()
    assert SECRET_TITLE not in dump and SECRET_BODY not in dump


@pytest.mark.parametrize("persona", ["deputy", "principal", "other_admin", "outsider"])
def test_nobody_but_the_commission_writes_an_entry(world, persona):
    with pytest.raises(Forbidden) as refused:
        _entry(world, by=getattr(world, persona))
    assert refused.value.rule == "R-GATE-3"
    assert (
        not ArchiveEntry.objects.exists()
        and not Entry.objects.filter(event_type__startswith="checkup.archive").exists()
    )


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"category": "nope"}, "category"),
        ({"subcategory": "talk"}, "subcategory"),  # a subcategory of another category
        ({"title": "  "}, "title"),
        ({"occurred_on": DAY + dt.timedelta(days=1)}, "occurred_on"),
        ({"source": "no source"}, "source"),
    ],
)
def test_a_wrong_entry_names_its_field_and_writes_nothing(world, over, field):
    with pytest.raises(BadArchiveEntry) as refused:
        _entry(world, **over)
    assert refused.value.status == 422 and refused.value.rule == "R-GATE-3"
    assert list(refused.value.detail["fields"]) == [field]
    assert not ArchiveEntry.objects.exists()


def test_a_pushed_entry_is_written_once_per_source(world):
    first = _entry(
        world, by=None, category="supervision", subcategory="audit", source="audit:3", title="离任审计"
    )
    again = _entry(
        world, by=None, category="supervision", subcategory="audit", source="audit:3", title="重推"
    )
    other = _entry(
        world, by=None, category="supervision", subcategory="audit", source="audit:4", title="另一次"
    )
    assert again.pk == first.pk != other.pk
    assert sealing.unseal(ArchiveEntry.objects.get(pk=first.pk).sealed_content)["title"] == "离任审计"
    assert Entry.objects.filter(event_type="checkup.archive_entry_added").count() == 2
    pushed = Entry.objects.filter(event_type="checkup.archive_entry_added").order_by("index")
    assert [payload(e)["archive_source"] for e in pushed] == ["audit:3", "audit:4"]
    row = next(r for r in services.read_archive(by=world.admin, person=world.deputy).rows if r.origin)
    assert row.origin in {"audit:3", "audit:4"} and row.source.startswith("archive:")


# ------------------------------------------------------------------------------------------- the district's list


def _renamed_and_extended() -> archive.Scheme:
    text = archive.DEFAULT_SCHEME.as_text().replace("reports 信访举报", "reports 信访举报和问题线索")
    return archive.parse_text(text + "\nreports/leads 问题线索处置")


def test_versions_are_appended_and_the_latest_is_in_force(world):
    w = world
    assert selectors.archive_scheme_for(w.deputy) == archive.DEFAULT_SCHEME
    first = services.set_archive_scheme(by=w.admin, district=w.district, scheme=_renamed_and_extended())
    assert (
        first.version == 1
        and selectors.archive_scheme_for(w.deputy).category_name("reports") == "信访举报和问题线索"
    )
    same = services.set_archive_scheme(by=w.admin, district=w.district, scheme=_renamed_and_extended())
    assert same.pk == first.pk  # the same list sets nothing
    second = services.set_archive_scheme(by=w.admin, district=w.district, scheme=archive.DEFAULT_SCHEME)
    assert second.version == 2 and ArchiveScheme.objects.count() == 2
    assert selectors.archive_scheme_for(w.deputy) == archive.DEFAULT_SCHEME
    entries = list(Entry.objects.filter(event_type="checkup.archive_scheme_set").order_by("index"))
    assert [payload(e)["version"] for e in entries] == [1, 2]
    assert payload(entries[1])["digest"] == archive.DEFAULT_SCHEME.digest()
    assert payload(entries[0])["archive_subcategories"] == 26 and entries[0].district == w.district.code
    # another district's list does not apply to the deputy
    services.set_archive_scheme(by=w.other_admin, district=w.far_district, scheme=_renamed_and_extended())
    assert selectors.archive_scheme_for(w.deputy) == archive.DEFAULT_SCHEME


def test_a_category_or_subcategory_in_use_cannot_be_dropped(world):
    w = world
    services.set_archive_scheme(by=w.admin, district=w.district, scheme=_renamed_and_extended())
    _entry(w, category="reports", subcategory="leads", title="线索")
    without_leads = archive.parse_text(
        _renamed_and_extended().as_text().replace("reports/leads 问题线索处置", "")
    )
    with pytest.raises(ArchiveCodeInUse) as refused:
        services.set_archive_scheme(by=w.admin, district=w.district, scheme=without_leads)
    assert refused.value.status == 409 and refused.value.rule == "R-GATE-3"
    assert refused.value.detail["in_use"] == [
        {"category": "reports", "subcategory": "leads", "name": "信访举报和问题线索 · 问题线索处置"}
    ]
    assert "问题线索处置" in refused.value.message
    # a whole category dropped, and a pair the archive fills from the check-up's own records
    no_reports = archive.Scheme(tuple(c for c in _renamed_and_extended().categories if c.code != "reports"))
    with pytest.raises(ArchiveCodeInUse) as refused:
        services.set_archive_scheme(by=w.admin, district=w.district, scheme=no_reports)
    assert [u["category"] for u in refused.value.detail["in_use"]] == ["reports"]
    with pytest.raises(ArchiveCodeInUse) as refused:
        services.set_archive_scheme(
            by=w.admin, district=w.district, scheme=archive.parse_text("x 甲\nx/y 乙")
        )
    assert {u["category"] for u in refused.value.detail["in_use"]} == {
        "basic",
        "family",
        "assets",
        "checkup",
        "supervision",
        "reports",
    }
    # an unused one goes
    without_talk = archive.parse_text(
        _renamed_and_extended().as_text().replace("discipline/talk 谈话提醒、批评教育及函询", "")
    )
    assert services.set_archive_scheme(by=w.admin, district=w.district, scheme=without_talk).version == 2
    assert ArchiveScheme.objects.count() == 2


def test_only_the_districts_commission_sets_its_list(world):
    for persona in ("other_admin", "principal", "deputy"):
        with pytest.raises(Forbidden) as refused:
            services.set_archive_scheme(
                by=getattr(world, persona), district=world.district, scheme=archive.DEFAULT_SCHEME
            )
        assert refused.value.rule == "R-GATE-3"
    assert (
        not ArchiveScheme.objects.exists()
        and not Entry.objects.filter(event_type="checkup.archive_scheme_set").exists()
    )


# ------------------------------------------------------------------------------------------- pages


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_archive_page_per_persona(client, filled, persona):
    w = filled
    c = _as(client, getattr(w, persona))
    page = c.get(f"/checkup/people/{w.deputy.username}/archive/")
    assert page.status_code == (200 if persona in SEE else 404)
    assert len(_reads()) == (1 if persona in SEE else 0)
    if persona in SEE:
        html = page.content.decode()
        assert SECRET_TITLE in html and "分管领域采购未比价" in html and "任前廉政考试（补考）" in html
        assert ('data-testid="archive-form"' in html) == (persona == "admin")
        assert "信访举报" in html and "查无实据及澄清正名" in html
        person = c.get(f"/checkup/people/{w.deputy.username}/").content.decode()
        assert 'data-testid="archive-link"' in person
        assert len(_reads()) == 1  # the candidate's page counts, it opens nothing


def test_the_commission_adds_an_entry_on_the_page_and_the_person_may_not(client, world):
    w = world
    url = f"/checkup/people/{w.deputy.username}/archive/"
    form = {
        "kind": "discipline/talk",
        "occurred_on": "2026-01-05",
        "title": "提醒谈话",
        "body": "就分管领域廉政风险进行提醒",
    }
    assert _as(client, w.deputy).post(url, form).status_code == 403
    assert not ArchiveEntry.objects.exists()
    admin = _as(client, w.admin)
    done = admin.post(url, form)
    assert done.status_code == 302 and done["Location"] == url
    entry = ArchiveEntry.objects.get()
    assert (entry.category, entry.subcategory, entry.recorded_by) == ("discipline", "talk", w.admin)
    bad = admin.post(url, {**form, "title": "", "occurred_on": "2999-01-01", "body": "保留的内容"})
    assert bad.status_code == 422
    html = bad.content.decode()
    assert "保留的内容" in html and "errorlist" in html and "发生日期不能晚于今天" not in html  # title first
    later = admin.post(url, {**form, "occurred_on": "2999-01-01", "body": "保留的内容"})
    assert later.status_code == 422 and "发生日期不能晚于今天" in later.content.decode()
    assert ArchiveEntry.objects.count() == 1
    filtered = admin.get(url + "?category=discipline").content.decode()
    assert "提醒谈话" in filtered and "违纪处理的记录" in filtered


def test_the_scheme_page_keeps_bad_input_and_names_the_line(client, world):
    w = world
    url = f"/checkup/archive-scheme/{w.district.code}/"
    assert _as(client, w.other_admin).get(url).status_code == 404
    assert _as(client, w.deputy).get(url).status_code == 404
    admin = _as(client, w.admin)
    page = admin.get(url)
    assert page.status_code == 200 and "family/marriage 婚姻状况" in page.content.decode()
    assert f'data-testid="archive-scheme-{w.district.code}"' in admin.get("/checkup/").content.decode()
    text = archive.DEFAULT_SCHEME.as_text() + "\n坏的一行"
    bad = admin.post(url, {"text": text})
    assert bad.status_code == 422
    html = bad.content.decode()
    assert "第 33 行" in html and "坏的一行" in html
    dropped = admin.post(
        url, {"text": archive.DEFAULT_SCHEME.as_text().replace("checkup/exam 任前廉政考试\n", "")}
    )
    assert dropped.status_code == 409 and "任前廉政考试" in dropped.content.decode()
    assert not ArchiveScheme.objects.exists()
    renamed = archive.DEFAULT_SCHEME.as_text().replace("basic 基本情况", "basic 基本信息")
    assert admin.post(url, {"text": renamed}).status_code == 302
    assert "现行：第 1 版" in admin.get(url).content.decode()
    assert ArchiveScheme.objects.get().categories[0]["name"] == "基本信息"


# ------------------------------------------------------------------------------------------- the API


def _put(client, token, path, body):
    return client.generic(
        "PUT", path, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def test_the_api(api_client, client, filled):
    w = filled
    path = f"/api/v1/people/{w.deputy.username}/archive"
    mine = api_client.as_(w.deputy).get(path, {"limit": 3})
    assert mine.status_code == 200
    body = mine.json()
    assert body["count"] > 3 and len(body["items"]) == 3
    assert set(body["items"][0]) == {
        "date",
        "category",
        "category_name",
        "subcategory",
        "subcategory_name",
        "title",
        "detail",
        "source",
        "origin",
    }
    only = api_client.as_(w.admin).get(path, {"category": "reports"}).json()
    assert only["count"] == 1 and only["items"][0]["title"] == SECRET_TITLE
    assert len(_reads()) == 2
    assert api_client.as_(w.staff).get(path).status_code == 404
    entry = {
        "category": "discipline",
        "subcategory": "talk",
        "occurred_on": "2026-01-05",
        "title": "提醒谈话",
    }
    assert api_client.as_(w.deputy).post(path, entry).status_code == 403
    made = api_client.as_(w.admin).post(path, entry)
    assert made.status_code == 201 and made.json()["title"] == "提醒谈话"
    wrong = api_client.as_(w.admin).post(path, {**entry, "subcategory": "nope"})
    assert wrong.status_code == 422 and wrong.json()["error"]["detail"]["fields"]["subcategory"]

    scheme_path = f"/api/v1/districts/{w.district.code}/archive-scheme"
    shown = api_client.as_(w.admin).get(scheme_path).json()
    assert (
        shown["version"] == 0
        and len(shown["categories"]) == 7
        and shown["digest"] == archive.DEFAULT_SCHEME.digest()
    )
    assert api_client.as_(w.other_admin).get(scheme_path).status_code == 404
    token = api_client.as_(w.admin).token
    changed = [dict(c) for c in shown["categories"]]
    changed[0]["name"] = "基本信息"
    put = _put(client, token, scheme_path, {"categories": changed})
    assert put.status_code == 200 and put.json()["version"] == 1
    no_reports = [c for c in changed if c["code"] != "reports"]
    refused = _put(client, token, scheme_path, {"categories": no_reports})
    assert refused.status_code == 409 and refused.json()["error"]["rule"] == "R-GATE-3"
    bad = _put(client, token, scheme_path, {"categories": [{"code": "X", "name": "甲", "subcategories": []}]})
    assert bad.status_code == 422 and "categories[0].code" in bad.json()["error"]["detail"]["fields"]
