"""factory_boy factories for people and organisation (used by every app's tests)."""

import datetime as dt

import factory

from zhiheng.accounts.models import Person
from zhiheng.org.models import District, DistrictRole, Membership, Unit

PASSWORD = "zhiheng-test-pass"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"person{n}")
    name = factory.Sequence(lambda n: f"测试人员{n}")
    password = factory.django.Password(PASSWORD)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"district{n}")
    name = factory.Sequence(lambda n: f"测试区{n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"unit{n}")
    name = factory.Sequence(lambda n: f"测试单位{n}")
    district = factory.SubFactory(DistrictFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    unit = factory.SubFactory(UnitFactory)
    role = "staff"
    title = ""
    start = dt.date(2012, 1, 1)
    end = None


class DistrictRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DistrictRole

    person = factory.SubFactory(PersonFactory)
    district = factory.SubFactory(DistrictFactory)
    role = "commission_admin"
    start = dt.date(2012, 1, 1)
