"""factory_boy factory for people, and the password every test person has."""

import factory

from zhiheng.accounts.models import Person

PASSWORD = "zhiheng-test-pass"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"person{n}")
    name = factory.Sequence(lambda n: f"测试人员{n}")
    password = factory.django.Password(PASSWORD)
