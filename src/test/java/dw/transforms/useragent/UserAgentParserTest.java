package dw.transforms.useragent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UserAgentParserTest {
  /** Building a parser compiles ua-parser's regexes (about a second): one for the family cases. */
  private static final UserAgentParser SHARED = new UserAgentParser();

  private final UserAgentParser parser = new UserAgentParser();

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36|Chrome|Windows|false",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15|Safari|Mac OS X|false",
        "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0|Firefox|Ubuntu|false",
        "Wget/1.21.2|Wget|Other|false",
        "curl/7.81.0|curl|Other|false",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)|Googlebot|Other|true",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)|bingbot|Other|true"
      })
  void familiesAndBots(String ua, String browser, String os, boolean bot) {
    UserAgentParser.Parsed p = SHARED.parse(ua);
    assertEquals(browser, p.browserFamily());
    assertEquals(os, p.osFamily());
    assertEquals(bot, p.bot());
  }

  @Test
  void emptyIsNothing() {
    assertNull(SHARED.parse(null).browserFamily());
    assertNull(SHARED.parse("").osFamily());
    assertFalse(SHARED.parse("").bot());
  }

  @Test
  void resultsAreCachedPerString() {
    String ua = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0";
    for (int i = 0; i < 1000; i++) {
      parser.parse(ua);
      parser.parse("curl/8." + (i % 3) + ".0");
    }
    assertEquals(2000, parser.lookups());
    assertEquals(4, parser.misses());
  }

  @Test
  void cacheIsBounded() {
    for (int i = 0; i < UserAgentParser.CACHE_SIZE + 10; i++) {
      parser.parse("agent-" + i);
    }
    long misses = parser.misses();
    parser.parse("agent-0"); // evicted: parsed again
    assertTrue(parser.misses() == misses + 1);
  }
}
