"""{% pager %} (public/templatetags/site_tags.py) draws what includes/pagination.html draws, for
pages with several pagers (a country page): the same markup for any page of any count, in both
languages, with the query string's other pagers and filters kept as the include keeps them."""

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from tests.helpers import LANGUAGES

INCLUDE = Template('{% include "includes/pagination.html" with page_obj=page_obj param=param %}')
PAGER = Template("{% load site_tags %}{% pager page_obj param %}")
QUERIES = ["", "host-page=2", "q=a%3Cb&country=ly&page=4", "participant-page=3&participant-page=5&utm_source=x"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("param", ["participant-page", "page", None, ""])
def test_the_pager_draws_what_the_pagination_template_draws(language, param):
    compared = 0
    with translation.override(language):
        for query in QUERIES:
            request = RequestFactory().get(f"/{language}/countries/ly/?{query}")
            for count in (0, 1, 20, 21, 45, 100, 200, 1_000, 25_000):
                paginator = Paginator(range(count), 20)
                for number in sorted({1, 2, 3, 4, 5, 6, 7, paginator.num_pages // 2, paginator.num_pages - 1,
                                      paginator.num_pages}):
                    page_obj = paginator.get_page(number)
                    context = {"request": request, "page_obj": page_obj, "param": param}
                    assert PAGER.render(Context(context)) == INCLUDE.render(Context(context)), (query, count, number)
                    compared += 1
    assert compared > 200


def test_no_pager_for_one_page():
    request = RequestFactory().get("/en/countries/ly/")
    page_obj = Paginator(range(5), 20).get_page(1)
    assert PAGER.render(Context({"request": request, "page_obj": page_obj, "param": "host-page"})) == "\n"
