"""Choosing a person by typing (holders/picker.py): what the box accepts, what it refuses and says,
and the suggestions the form pages give, from the form's own choices, in a fixed number of queries."""

import pytest
from django.urls import reverse

from grants import services
from grants.forms.transfers import TransferRequestForm
from holders.models import Holder
from holders.picker import HolderChoiceField, pick_label
from tests.factories import make_holder, make_series
from tests.factories.lifecycle import allotted_scenario, holding, new_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(legal):
    return {name: make_holder(actor=legal, name=name) for name in ("Aoki Ren", "Baba Sora", "Chiba Mio")}


def field(queryset=None) -> HolderChoiceField:
    return HolderChoiceField(queryset=Holder.objects.all() if queryset is None else queryset)


def test_a_suggestion_a_number_or_a_unique_name_chooses_the_person(people):
    aoki = people["Aoki Ren"]
    for typed in (pick_label(aoki), f"  {aoki.pk} ", f"#{aoki.pk}", "Aoki Ren", "  Aoki   Ren "):
        assert field().clean(typed) == aoki, typed
    # The number decides: a suggestion whose name was edited still names its person.
    assert field().clean(f"Someone else [#{aoki.pk}]") == aoki


def test_what_cannot_be_chosen_is_refused_with_a_message(legal, people):
    aoki = people["Aoki Ren"]
    others = Holder.objects.exclude(pk=aoki.pk)
    cases = {
        str(aoki.pk): "cannot be chosen here",  # not among the choices
        "999999999": "cannot be chosen here",
        "9" * 40: "Choose a person from the suggestions",  # too long to be a number: a name, unknown
        "Aoki": "Choose a person from the suggestions",  # part of a name is not a choice
        "<script>": "Choose a person from the suggestions",
        "a\x00b": "Choose a person from the suggestions",
    }
    for typed, message in cases.items():
        with pytest.raises(Exception) as refused:
            field(others).clean(typed)
        assert message in " ".join(refused.value.messages), typed
    make_holder(actor=legal, name="Baba Sora")
    with pytest.raises(Exception) as refused:
        field().clean("Baba Sora")
    assert "Several people are named Baba Sora" in " ".join(refused.value.messages)


def test_a_form_shown_again_keeps_what_was_typed_and_a_chosen_person_shows_as_a_suggestion(people):
    aoki = people["Aoki Ren"]
    form = TransferRequestForm({"transferee": "Nobody", "rights": "1"}, holder=people["Chiba Mio"])
    assert not form.is_valid()
    html = str(form["transferee"])
    assert 'value="Nobody"' in html and 'list="id_transferee-choices"' in html
    assert '<datalist id="id_transferee-choices"></datalist>' in html and "<option" not in html
    initial = TransferRequestForm(initial={"transferee": aoki}, holder=people["Chiba Mio"])
    assert f'value="{pick_label(aoki)}"' in str(initial["transferee"])


def test_the_transfer_page_suggests_living_people_other_than_the_transferor(
    client, legal, django_assert_max_num_queries
):
    s = allotted_scenario(legal=legal, transfer_prohibited_by_allotment_terms=False)
    h = holding(s.series, s.director)
    for n in range(30):
        make_holder(actor=legal, name=f"Sample {n:02d}")
    dead = make_holder(actor=legal, name="Sample Deceased")
    services.death_record(holder=dead, died_on=s.series.allotment_date, actor=legal)
    client.force_login(legal)
    url = reverse("grants:transfer_request", args=[h.pk])
    with django_assert_max_num_queries(12):
        answer = client.get(url, {"pick": "transferee", "q": "sample"})
    assert answer.status_code == 200 and answer["Content-Type"] == "application/json"
    suggestions = answer.json()["suggestions"]
    assert len(suggestions) == 20 and suggestions[0].startswith("Sample 00 [#")
    assert not any("Deceased" in label for label in suggestions)
    director = client.get(url, {"pick": "transferee", "q": s.director.name}).json()["suggestions"]
    assert director == []  # the transferor is not a choice
    assert client.get(url, {"pick": "transferee", "q": ""}).json() == {"suggestions": []}
    assert client.get(url, {"pick": "rights", "q": "x"}).status_code == 404
    assert client.get(url, {"pick": "nothing", "q": "x"}).status_code == 404
    assert client.get(url, {"pick": "transferee", "q": "x" * 10_000}).status_code == 200
    assert (
        client.get(url, {"pick": "transferee", "q": "Sam\x00ple"})
        .json()["suggestions"][0]
        .startswith("Sample")
    )


def test_the_allotment_page_suggests_only_those_who_can_be_allotted(client, legal, people):
    series = make_series(actor=legal, resolve=True)
    outsider = new_person(actor=legal, name="Aoki Outside")  # no office at the issuer
    client.force_login(legal)
    url = reverse("grants:allotment_create", args=[series.pk])
    assert client.get(url, {"pick": "holder", "q": "aoki"}).json() == {
        "suggestions": [pick_label(people["Aoki Ren"])]
    }
    page = client.get(url)
    assert page.status_code == 200 and b"data-holder-pick" in page.content
    refused = client.post(url, {"holder": pick_label(outsider), "category": "director", "rights": "1"})
    assert refused.status_code == 200 and "cannot be chosen here" in refused.text
    done = client.post(url, {"holder": "Aoki Ren", "category": "director", "rights": "1"})
    assert done.status_code == 302


def test_an_auditor_gets_no_suggestions(client, auditor, legal):
    s = allotted_scenario(legal=legal, transfer_prohibited_by_allotment_terms=False)
    client.force_login(auditor)
    url = reverse("grants:transfer_request", args=[holding(s.series, s.director).pk])
    assert client.get(url, {"pick": "transferee", "q": "a"}).status_code == 403
