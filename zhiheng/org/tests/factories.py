"""factory_boy factories for organisation (used by every app's tests); people come from accounts'."""

__all__ = [
    "PASSWORD",
    "DistrictFactory",
    "DistrictRoleFactory",
    "MembershipFactory",
    "PersonFactory",
    "UnitFactory",
]

import datetime as dt

import factory

from zhiheng.accounts.tests.factories import PASSWORD, PersonFactory
from zhiheng.org.models import District, DistrictRole, Membership, Unit


class _ByCodeFactory(factory.django.DjangoModelFactory):
    """Districts and units are known by their code: naming one again in a test fetches it."""

    class Meta:
        abstract = True
        django_get_or_create = ("code",)


class DistrictFactory(_ByCodeFactory):
    class Meta:
        model = District

    code = factory.Sequence(lambda n: f"district{n}")
    name = factory.Sequence(lambda n: f"测试区{n}")


class UnitFactory(_ByCodeFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"unit{n}")
    name = factory.Sequence(lambda n: f"测试单位{n}")
    district = factory.SubFactory(DistrictFactory)


class _HeldFactory(factory.django.DjangoModelFactory):
    """A post a person holds, from a date before any date the tests use."""

    class Meta:
        abstract = True

    person = factory.SubFactory(PersonFactory)
    start = dt.date(2012, 1, 1)


class MembershipFactory(_HeldFactory):
    class Meta:
        model = Membership

    unit = factory.SubFactory(UnitFactory)
    role = "staff"
    title = ""
    end = None


class DistrictRoleFactory(_HeldFactory):
    class Meta:
        model = DistrictRole

    district = factory.SubFactory(DistrictFactory)
    role = "commission_admin"
