package dw.transforms.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Expected values follow Python's {@code parse_qs(q, keep_blank_values=True)}, first value. */
class SecurityQueryTest {
  private final SecurityQuery q = new SecurityQuery();

  @Test
  void docLineQueryGivesAllParameters() {
    assertTrue(
        q.reset(
            "auc=37&b=9.5.3.9.5.3&be=true&db=postgres&id=wj3drgzdpnf54rxf5d8qd3dqne&os=linux&tc=4"
                + "&uc=212&ut=0"));
    assertNull(q.failureReason());
    assertEquals("wj3drgzdpnf54rxf5d8qd3dqne", q.id());
    assertEquals("9.5.3.9.5.3", q.b());
    assertEquals("true", q.be());
    assertEquals("postgres", q.db());
    assertEquals("linux", q.os());
    assertEquals("0", q.ut());
    assertFalse(q.ranUnitTests());
    assertTrue(q.hasAuc());
    assertEquals(37, q.auc());
    assertEquals(Long.valueOf(37), q.aucOrNull());
    assertEquals(4, q.tc());
    assertEquals(212, q.uc());
  }

  @Test
  void missingCountsAreNull() {
    assertTrue(q.reset("b=9.5.3&id=x"));
    assertFalse(q.hasUc());
    assertFalse(q.hasTc());
    assertFalse(q.hasAuc());
    assertNull(q.ucOrNull());
    assertNull(q.tcOrNull());
    assertNull(q.aucOrNull());
    assertEquals(0, q.uc());
    assertNull(q.be());
    assertNull(q.ut());
  }

  @Test
  void blankCountIsTreatedAsNotReported() {
    assertTrue(q.reset("auc=&id=x&uc=5"));
    assertNull(q.aucOrNull());
    assertEquals(Long.valueOf(5), q.ucOrNull());
  }

  @Test
  void repeatedParameterFirstValueWins() {
    assertTrue(q.reset("id=a&id=b"));
    assertEquals("a", q.id());
  }

  @Test
  void blankFirstValueAlsoWins() {
    assertTrue(q.reset("id=&id=b"));
    assertEquals("", q.id());
  }

  @Test
  void repeatedCountFirstValueWinsAndLaterGarbageIsIgnored() {
    assertTrue(q.reset("auc=1&auc=2&uc=5&uc=x"));
    assertEquals(1, q.auc());
    assertEquals(5, q.uc());
  }

  @Test
  void plusIsASpace() {
    assertTrue(q.reset("os=my+os&db=a+%2B+b"));
    assertEquals("my os", q.os());
    assertEquals("a + b", q.db());
  }

  @Test
  void encodedEqualsAndAmpersandStayInTheValue() {
    assertTrue(q.reset("b=9.5.3%3Dx%26y&id=z"));
    assertEquals("9.5.3=x&y", q.b());
    assertEquals("z", q.id());
  }

  @Test
  void onlyTheFirstEqualsSplitsNameAndValue() {
    assertTrue(q.reset("b=a=b&id=c"));
    assertEquals("a=b", q.b());
  }

  @Test
  void parameterWithoutEqualsHasAnEmptyValue() {
    assertTrue(q.reset("ut&id=x&be"));
    assertEquals("", q.ut());
    assertEquals("", q.be());
    assertTrue(q.reset("id"));
    assertEquals("", q.id());
  }

  @Test
  void unknownParametersAreIgnored() {
    assertTrue(q.reset("foo=1&id=x&bar&auc2=5&AUC=7&i=3&=9"));
    assertEquals("x", q.id());
    assertNull(q.aucOrNull());
  }

  @Test
  void emptyPartsAreSkipped() {
    assertTrue(q.reset("&&id=x&&uc=3&"));
    assertEquals("x", q.id());
    assertEquals(3, q.uc());
  }

  @Test
  void semicolonIsNotASeparator() {
    assertTrue(q.reset("id=a;b=1"));
    assertEquals("a;b=1", q.id());
    assertNull(q.b());
  }

  @Test
  void namesAreDecodedBeforeMatching() {
    assertTrue(q.reset("%61uc=5&i%64=x&o%73=linux"));
    assertEquals(5, q.auc());
    assertEquals("x", q.id());
    assertEquals("linux", q.os());
  }

  @Test
  void plainPercentEncodingIsDecodedOnce() {
    assertTrue(q.reset("os=my%20os&id=%C3%A9"));
    assertEquals("my os", q.os());
    assertEquals("é", q.id());
  }

  @Test
  void doubleEncodingIsDecodedOnlyOnceLikeParseQs() {
    // CloudFront's own layer (%25) stays: the original warehouse stored "my%20os" for this.
    assertTrue(q.reset("os=my%2520os&b=9.5.3%252B1"));
    assertEquals("my%20os", q.os());
    assertEquals("9.5.3%2B1", q.b());
  }

  @Test
  void invalidPercentSequencesAreKept() {
    assertTrue(q.reset("db=100%&os=%zz"));
    assertEquals("100%", q.db());
    assertEquals("%zz", q.os());
  }

  @Test
  void percentEncodedDigitsAreNumbers() {
    assertTrue(q.reset("auc=%31%32"));
    assertEquals(12, q.auc());
  }

  @Test
  void nonNumericCountIsAFailureNamingTheParameter() {
    assertFalse(q.reset("uc=abc&id=x"));
    assertEquals("bad_number_uc", q.failureReason());
    assertEquals("x", q.id());
    assertNull(q.ucOrNull());
    assertFalse(q.reset("tc=1.5"));
    assertEquals(SecurityQuery.BAD_NUMBER_TC, q.failureReason());
    assertFalse(q.reset("auc=12a"));
    assertEquals("bad_number_auc", q.failureReason());
  }

  @Test
  void outOfRangeCountIsAFailure() {
    assertFalse(q.reset("auc=9223372036854775808"));
    assertEquals("bad_number_auc", q.failureReason());
    assertFalse(q.reset("uc=99999999999999999999999"));
    assertEquals("bad_number_uc", q.failureReason());
    assertTrue(q.reset("auc=9223372036854775807&uc=-9223372036854775808"));
    assertEquals(Long.MAX_VALUE, q.auc());
    assertEquals(Long.MIN_VALUE, q.uc());
  }

  @Test
  void signsAndSpacesInCounts() {
    assertTrue(q.reset("auc=-1&uc=007"));
    assertEquals(-1, q.auc());
    assertEquals(7, q.uc());
    assertFalse(q.reset("uc=+5")); // '+' is a space: " 5"
    assertEquals("bad_number_uc", q.failureReason());
    assertFalse(q.reset("tc=-"));
    assertEquals("bad_number_tc", q.failureReason());
  }

  @Test
  void firstFailureInQueryOrderIsReported() {
    assertFalse(q.reset("auc=y&tc=z&uc=x"));
    assertEquals("bad_number_auc", q.failureReason());
  }

  @Test
  void nullEmptyAndDashQueriesGiveNoParameters() {
    assertTrue(q.reset(null));
    assertNull(q.id());
    assertTrue(q.reset(""));
    assertNull(q.id());
    assertTrue(q.reset("-"));
    assertNull(q.id());
  }

  @Test
  void regionOfALongerStringIsParsedInPlace() {
    String line = "x\tid=abc&uc=3\tid=zzz&uc=bad";
    assertTrue(q.reset(line, 2, 13));
    assertEquals("abc", q.id());
    assertEquals(3, q.uc());
    assertTrue(q.reset(line, -1, -1));
    assertNull(q.id());
  }

  @Test
  void regionEndCutsTheLastValue() {
    String s = "id=abcdef";
    assertTrue(q.reset(s, 0, 5));
    assertEquals("ab", q.id());
  }

  @Test
  void resetClearsThePreviousQuery() {
    assertFalse(q.reset("id=a&uc=x&ut=1&be=true"));
    assertTrue(q.reset("b=1.2.3"));
    assertNull(q.id());
    assertNull(q.failureReason());
    assertNull(q.ut());
    assertNull(q.be());
    assertFalse(q.hasUc());
    assertEquals("1.2.3", q.b());
  }

  @Test
  void ranUnitTestsOnlyForExactlyOne() {
    assertTrue(q.reset("ut=1"));
    assertTrue(q.ranUnitTests());
    assertTrue(q.reset("ut=0"));
    assertFalse(q.ranUnitTests());
    assertTrue(q.reset("ut=01"));
    assertFalse(q.ranUnitTests());
    assertTrue(q.reset("id=x"));
    assertFalse(q.ranUnitTests());
  }

  @Test
  void commonLowCardinalityValuesAreSharedConstants() {
    assertTrue(q.reset(new String("be=true&db=postgres&os=linux&ut=0")));
    assertSame("true", q.be());
    assertSame("postgres", q.db());
    assertSame("linux", q.os());
    assertSame("0", q.ut());
    assertTrue(q.reset("be=tru%65&os=plan9"));
    assertEquals("true", q.be());
    assertEquals("plan9", q.os());
  }
}
