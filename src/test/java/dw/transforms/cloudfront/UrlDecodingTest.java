package dw.transforms.cloudfront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UrlDecodingTest {

  @Test
  void withoutPercentTheSameInstanceIsReturned() {
    String s = "Go-http-client/2.0";
    assertSame(s, UrlDecoding.decode(s));
    assertSame(s, UrlDecoding.decodeOnce(s));
    String plus = "a+b";
    assertSame(plus, UrlDecoding.decode(plus));
  }

  @Test
  void nullStaysNull() {
    assertNull(UrlDecoding.decode(null));
    assertNull(UrlDecoding.decodeOnce(null));
  }

  @Test
  void singleEncodedSpaceIsDecoded() {
    assertEquals("a b", UrlDecoding.decode("a%20b"));
  }

  @Test
  void doubleEncodedSpaceIsDecodedTwice() {
    assertEquals("a b", UrlDecoding.decode("a%2520b"));
    assertEquals("a b c", UrlDecoding.decode("a%2520b%20c"));
  }

  @Test
  void nothingIsDecodedAThirdTime() {
    assertEquals("%20", UrlDecoding.decode("%252520"));
  }

  @Test
  void percentItselfDecodesToALiteralPercentWhenNotFollowedByHex() {
    assertEquals("100%", UrlDecoding.decode("100%25"));
    assertEquals("%zz", UrlDecoding.decode("%25zz"));
    assertEquals("50% off", UrlDecoding.decode("50%25%20off"));
  }

  @Test
  void invalidSequencesAreKeptLiterally() {
    assertEquals("100%", UrlDecoding.decode("100%"));
    assertEquals("%zz", UrlDecoding.decode("%zz"));
    assertEquals("%4", UrlDecoding.decode("%4"));
    assertEquals("a%g1b", UrlDecoding.decode("a%g1b"));
    assertEquals("%%A", UrlDecoding.decode("%%%41"));
  }

  @Test
  void hexDigitsOfEitherCase() {
    assertEquals("/a/b", UrlDecoding.decode("%2fa%2Fb"));
  }

  @Test
  void utf8MultiByteSequences() {
    assertEquals("é", UrlDecoding.decode("%C3%A9"));
    assertEquals("é", UrlDecoding.decode("%25C3%25A9"));
    assertEquals("日本", UrlDecoding.decode("%E6%97%A5%E6%9C%AC"));
  }

  @Test
  void malformedUtf8BecomesReplacementCharacter() {
    assertEquals("a\uFFFDb", UrlDecoding.decode("a%C3b"));
    assertEquals("\uFFFD", UrlDecoding.decode("%FF"));
  }

  @Test
  void literalNonAsciiCharactersAreKept() {
    assertEquals("é x", UrlDecoding.decode("é%20x"));
  }

  @Test
  void plusIsNotASpaceInLogFields() {
    assertEquals("a+b c", UrlDecoding.decode("a+b%20c"));
  }

  @Test
  void userAgentFromTheReleasesExampleMatchesTheOriginalReplaceRule() {
    String ua =
        "Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36%20(KHTML,%20like"
            + "%20Gecko)%20Chrome/124.0.0.0%20Safari/537.36";
    String sql = ua.replace("%2520", " ").replace("%20", " ");
    assertEquals(sql, UrlDecoding.decode(ua));
    String doubleEncoded = ua.replace("%20", "%2520");
    assertEquals(sql, UrlDecoding.decode(doubleEncoded));
  }

  @Test
  void decodeOnceIsPythonUnquote() {
    assertEquals("%20", UrlDecoding.decodeOnce("%2520"));
    assertEquals("a b+c", UrlDecoding.decodeOnce("a%20b+c"));
    assertEquals("100%", UrlDecoding.decodeOnce("100%"));
  }

  @Test
  void queryComponentTurnsPlusIntoSpaceThenDecodesOnce() {
    String s = "x=a+b%2Bc%2520d";
    assertEquals("a b+c%20d", UrlDecoding.decodeQueryComponent(s, 2, s.length()));
  }

  @Test
  void queryComponentWithoutPercentOrPlusIsAPlainSubstring() {
    String s = "id=abc&b=1";
    assertEquals("abc", UrlDecoding.decodeQueryComponent(s, 3, 6));
    assertSame(s, UrlDecoding.decodeQueryComponent(s, 0, s.length()));
    assertEquals("", UrlDecoding.decodeQueryComponent(s, 3, 3));
    assertFalse(UrlDecoding.needsQueryDecoding(s, 0, s.length()));
    assertTrue(UrlDecoding.needsQueryDecoding("a+b", 0, 3));
  }

  @Test
  void queryComponentDoesNotReadPastItsEnd() {
    String s = "v=%4&x=1";
    assertEquals("%4", UrlDecoding.decodeQueryComponent(s, 2, 4));
    String t = "v=%2&x";
    assertEquals("%2", UrlDecoding.decodeQueryComponent(t, 2, 4));
  }
}
