"""In the browser, at phone size: search by the customer's words, learning pages, offline copy."""

import zipfile

import pytest
from conftest import CONTENT
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

from generator.load import load_handbook

HANDBOOK = load_handbook(CONTENT).handbook


def wait(driver, seconds: float = 10) -> WebDriverWait:
    return WebDriverWait(driver, seconds)


def search(driver, url: str, query: str) -> list[str]:
    """Type into the site's search box; return the finder's suggested script URLs."""
    driver.get(url)
    driver.find_element(By.CSS_SELECTOR, 'label[for="__search"]').click()
    box = driver.find_element(By.CSS_SELECTOR, '[data-md-component="search-query"]')
    box.send_keys(query)
    wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".hb-finder__link"))
    return [
        e.get_attribute("href") for e in driver.find_elements(By.CSS_SELECTOR, ".hb-finder__link")
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("车子停哪里", "parking-visitor"),
        ("哪里可以停车", "parking-visitor"),
        ("首付要几成", "payment-"),
    ],
)
def test_customer_words_find_the_script(browser, served, query, expected):
    links = search(browser, served, query)
    assert expected in links[0].split("#")[1]


def test_path_tick_survives_a_reload(browser, served):
    post = HANDBOOK.paths[0].post
    browser.get(f"{served}learn/{post}/")
    boxes = browser.find_elements(By.CSS_SELECTOR, "input[data-step]")
    assert boxes
    browser.find_element(By.CSS_SELECTOR, ".hb-path-reset").click()
    boxes[1].click()
    browser.refresh()
    boxes = browser.find_elements(By.CSS_SELECTOR, "input[data-step]")
    assert [box.is_selected() for box in boxes[:3]] == [False, True, False]
    assert (
        browser.find_element(By.CSS_SELECTOR, ".hb-path-count").text == f"已完成 1 / {len(boxes)}"
    )
    browser.find_element(By.CSS_SELECTOR, ".hb-path-reset").click()
    assert not browser.find_elements(By.CSS_SELECTOR, "input[data-step]")[1].is_selected()


def test_practice_reveal_mark_and_unknown_returns_first(browser, served):
    category = HANDBOOK.categories.categories[0].id
    browser.get(f"{served}learn/practice/?cat={category}")
    card = wait(browser).until(ready.visibility_of_element_located((By.CSS_SELECTOR, ".hb-card")))
    browser.find_element(By.CSS_SELECTOR, ".hb-practice-reset").click()
    answer = card.find_element(By.CSS_SELECTOR, ".hb-card-answer")
    assert not answer.is_displayed()
    first = card.get_attribute("data-script")
    card.find_element(By.CSS_SELECTOR, ".hb-card-reveal").click()
    assert answer.is_displayed()
    reply = next(s.reply for s in HANDBOOK.scripts if s.id == first)
    assert card.find_element(By.CSS_SELECTOR, ".hb-card-reply").text.strip()
    assert reply[:6] in card.find_element(By.CSS_SELECTOR, ".hb-card-reply").text
    card.find_element(By.CSS_SELECTOR, ".hb-card-unknown").click()
    # The one just missed comes back before any other.
    assert card.get_attribute("data-script") == first
    card.find_element(By.CSS_SELECTOR, ".hb-card-reveal").click()
    card.find_element(By.CSS_SELECTOR, ".hb-card-known").click()
    assert card.get_attribute("data-script") != first
    browser.refresh()
    card = wait(browser).until(ready.visibility_of_element_located((By.CSS_SELECTOR, ".hb-card")))
    assert card.get_attribute("data-script") != first, "known cards wait until the rest are seen"


def test_quiz_marks_right_and_wrong(browser, served):
    post = HANDBOOK.posts[0].id
    browser.get(f"{served}learn/quiz-{post}/")
    questions = browser.find_elements(By.CSS_SELECTOR, ".hb-quiz-question")
    assert len(questions) >= 5
    first, second = questions[:2]
    right = first.get_attribute("data-answer")
    first.find_element(By.CSS_SELECTOR, f'.hb-quiz-option[data-option="{right}"]').click()
    assert "hb-right" in first.get_attribute("class")
    assert first.find_element(By.CSS_SELECTOR, ".hb-quiz-verdict").text == "✔ 回答正确"
    wrong = str((int(second.get_attribute("data-answer")) + 1) % 4)
    second.find_element(By.CSS_SELECTOR, f'.hb-quiz-option[data-option="{wrong}"]').click()
    assert "hb-wrong" in second.get_attribute("class")
    assert second.find_element(By.CSS_SELECTOR, ".hb-correct").get_attribute("data-option") == (
        second.get_attribute("data-answer")
    )


def test_offline_copy_searches_from_file_urls(browser, site, tmp_path):
    with zipfile.ZipFile(site / "download" / "handbook-offline.zip") as archive:
        archive.extractall(tmp_path)
    index = tmp_path / "handbook-offline" / "index.html"
    links = search(browser, index.as_uri(), "车子停哪里")
    assert links[0].startswith("file://") and links[0].endswith("#parking-visitor")
    # Material's own search works offline too.
    wait(browser).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".md-search-result__item"))
    assert 'class="hb-org-tree"' in (tmp_path / "handbook-offline" / "goals.html").read_text(
        "utf-8"
    )
