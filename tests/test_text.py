"""Content text is text: escaped for Markdown, facts substituted, terms as tooltips."""

import markdown
import pytest

from generator.model import Fact, Source, Term
from generator.render.text import TextFormatter, escape_css_string, escape_markdown

EXTENSIONS = ["pymdownx.escapeall", "tables", "attr_list", "md_in_html"]


def to_html(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[点我](javascript:alert(1))",
        "# 不是标题",
        "| a | b |",
        "*强调* __粗体__ `代码`",
        "{{ config }} {% raw %}",
        "&amp; &lt;",
        "\\*反斜杠",
    ],
)
def test_markup_in_content_is_shown_literally(hostile):
    html = to_html(escape_markdown(hostile))
    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert "<em>" not in html and "<strong>" not in html and "<code>" not in html
    assert "<h1" not in html
    # What the reader sees is exactly what was typed.
    from html import unescape
    from re import sub

    assert unescape(sub(r"<[^>]+>", "", html)).strip() == hostile


def formatter(value: str = "") -> TextFormatter:
    facts = [Fact(id="hotline", label="咨询电话", value=value)]
    terms = [Term(term="案场", definition='销售现场 "含" <样板房>', source=Source.supplement)]
    return TextFormatter(facts, terms)


def test_a_filled_fact_is_substituted_and_escaped():
    html = to_html(formatter("<b>400-1</b>").rich("请拨打{fact:hotline}。"))
    assert "请拨打&lt;b&gt;400-1&lt;/b&gt;。" in html


def test_an_empty_fact_is_marked_todo():
    html = to_html(formatter("").rich("请拨打{fact:hotline}。"))
    assert '<span class="hb-todo"' in html and "待填写:咨询电话" in html
    assert formatter("").plain("{fact:hotline}") == "\\(待填写\\:咨询电话\\)"


def test_the_generic_edition_reads_an_empty_fact_as_an_instruction():
    """The 通用版 names the fact for staff to look up: neutral, not the red marker."""
    facts = [Fact(id="smoking", label="室外<吸烟点>（未设置的留空）")]
    generic = TextFormatter(facts, generic=True)
    html = to_html(generic.rich("请到{fact:smoking}。"))
    assert '<span class="hb-generic"' in html and "hb-todo" not in html
    assert "〔室外&lt;吸烟点&gt;：以本案场公布为准〕" in html, (
        "label as text, editors' note dropped"
    )
    assert generic.plain_value("{fact:smoking}") == "〔室外<吸烟点>：以本案场公布为准〕"


def test_glossary_terms_become_tooltips_with_escaped_definitions():
    """The title attribute holds the definition exactly, every punctuation mark encoded."""
    from html.parser import HTMLParser

    page = to_html(formatter().rich("欢迎来到案场"))
    titles = []
    parser = HTMLParser()
    parser.handle_starttag = lambda tag, attrs: titles.extend(v for k, v in attrs if k == "title")
    parser.feed(page)
    assert titles == ['销售现场 "含" <样板房>'], "what the tooltip shows, as text"
    assert "<样板房>" not in page and "&lt;样板房" not in page, "punctuation as numeric references"


def test_attributes_hold_no_markdown_or_table_syntax():
    from generator.render.text import escape_attribute

    escaped = escape_attribute('a|b `c` *d* <e> & "f"')
    assert not set(escaped) & set("|`*<>\"'"), escaped


def test_css_strings_cannot_close_the_style_element():
    escaped = escape_css_string('岗"位</style><script>')
    assert '"' not in escaped and "<" not in escaped and ">" not in escaped


def test_marked_raw_html_blocks_convert_as_plain_markdown_would():
    """generator.render.rawhtml only skips parsing: a script page comes out the same without it."""
    from conftest import CONFIG
    from mkdocs.config import load_config

    from generator.content.load import load_handbook
    from generator.render.markdown import render
    from generator.render.rawhtml import END, START, RawHtmlExtension

    config = load_config(str(CONFIG))
    pages = render(load_handbook(CONFIG.parent / "content").handbook)

    def convert(markdown_text: str, *extra) -> str:
        html = markdown.markdown(
            markdown_text,
            extensions=[*config.markdown_extensions, *extra],
            extension_configs=config.mdx_configs,
        )
        return "\n".join(line for line in html.splitlines() if line.strip())

    for page in ("scripts/price.md", "scripts/index.md"):
        assert pages[page].count(START) > 3, page
        fast = convert(pages[page], RawHtmlExtension())
        assert START not in fast and END not in fast, "the markers are consumed"
        plain = convert(pages[page]).replace(START, "").replace(END, "")
        assert fast == "\n".join(line for line in plain.splitlines() if line.strip()), page
