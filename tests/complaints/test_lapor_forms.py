"""The {% options %} tag: escaped labels and values, the chosen one marked."""

from types import SimpleNamespace

from django.template import Context, Template


def render(source: str, **context: object) -> str:
    return Template("{% load lapor_forms %}" + source).render(Context(context))


def test_pairs_are_escaped_and_the_chosen_one_marked():
    html = render("{% options choices chosen %}",
                  choices=[(1, "Dinas <PU>"), (2, 'Kota "Baru"')], chosen=2)
    assert html == ('<option value="1">Dinas &lt;PU&gt;</option>'
                    '<option value="2" selected>Kota &quot;Baru&quot;</option>')


def test_objects_by_attribute_and_nothing_chosen():
    regions = [SimpleNamespace(code="33.74", name="Kota Semarang"),
               SimpleNamespace(code='x"><script>', name="Lain")]
    html = render('{% options regions chosen "code" "name" %}', regions=regions, chosen=None)
    assert "selected" not in html
    assert '<option value="33.74">Kota Semarang</option>' in html
    assert "<script>" not in html
