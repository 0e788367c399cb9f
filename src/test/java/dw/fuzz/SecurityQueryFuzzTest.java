package dw.fuzz;

import dw.transforms.security.*;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dw.transforms.cloudfront.UrlDecoding;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the query-string decoding ({@link SecurityQuery}, {@link
 * UrlDecoding}) against a plain reference implementation written here from the documented rules
 * ({@code parse_qs(keep_blank_values=True)}, first value wins, counts as optional {@code -} and
 * ASCII digits fitting a long). Every query gives the reference's values or the reference's {@code
 * bad_number_<param>} reason; nothing throws; percent-encoding any text and decoding it gives the
 * text back; decoding is stable (the same query twice, with another in between, gives the same).
 */
class SecurityQueryFuzzTest {
  private static final List<String> NAMES = List.of("id", "b", "be", "db", "os", "uc", "tc", "auc", "ut");
  private static final String[] PIECES = {
    "id", "auc", "uc", "tc", "b", "be", "db", "os", "ut", "=", "&", "%", "%2", "%25", "%41", "%zz",
    "+", "%2B", "%C3%A9", "%E2%82", "%FF", "-", "9223372036854775807", "9223372036854775808",
    "-9223372036854775808", "0", "007", "true", "postgres", ";", "%61uc", "\u00e9", "\ud83d\ude00"
  };

  /** Created in the test, not at class load: Jazzer instruments classes loaded after its agent. */
  private SecurityQuery query;

  @FuzzTest(maxDuration = "10s")
  void queryString(FuzzedDataProvider data) {
    if (query == null) {
      query = new SecurityQuery();
    }
    StringBuilder sb = new StringBuilder();
    int pieces = data.consumeInt(0, 30);
    for (int i = 0; i < pieces && data.remainingBytes() > 0; i++) {
      sb.append(data.consumeBoolean() ? data.pickValue(PIECES) : data.consumeString(8));
    }
    String q = sb.toString();
    String other = data.consumeRemainingAsString();

    Map<String, String> expected = reference(q);
    boolean ok = query.reset(q);
    assertEquals(expected, actual(ok), q);

    // stable: another query in between (also checked), then the same again
    assertEquals(reference(other), actual(query.reset(other)), other);
    assertEquals(expected, actual(query.reset(q)), q);

    // in place: the same query inside a longer text
    String framed = "x\t" + q + "\ty";
    assertEquals(expected, actual(query.reset(framed, 2, 2 + q.length())), framed);

    // decoding round trip: any well-formed text, percent-encoded as UTF-8, decodes to itself
    String text = wellFormed(other);
    String encoded = percentEncode(text);
    assertEquals(text, UrlDecoding.decodeQueryComponent(encoded, 0, encoded.length()));
    assertEquals(text, UrlDecoding.decodeOnce(encoded));
    assertEquals(text, UrlDecoding.decode(encoded.replace("%", "%25")));
    // without '%' the display decoder returns its input untouched
    String noPercent = other.replace("%", "");
    assertSame(noPercent, UrlDecoding.decode(noPercent));
    assertSame(noPercent, UrlDecoding.decodeOnce(noPercent));
    // the display decoder never throws and never grows the text
    assertTrue(UrlDecoding.decode(other).length() <= other.length());
  }

  private Map<String, String> actual(boolean ok) {
    Map<String, String> m = new HashMap<>();
    m.put("id", query.id());
    m.put("b", query.b());
    m.put("be", query.be());
    m.put("db", query.db());
    m.put("os", query.os());
    m.put("ut", query.ut());
    m.put("uc", query.hasUc() ? Long.toString(query.uc()) : null);
    m.put("tc", query.hasTc() ? Long.toString(query.tc()) : null);
    m.put("auc", query.hasAuc() ? Long.toString(query.auc()) : null);
    m.put("failure", query.failureReason());
    assertEquals(ok, query.failureReason() == null);
    assertEquals(query.ucOrNull(), query.hasUc() ? query.uc() : null);
    return m;
  }

  /** parse_qs(q, keep_blank_values=True), first value per name, then the numbers. */
  static Map<String, String> reference(String q) {
    Map<String, String> first = new HashMap<>();
    List<String> order = new java.util.ArrayList<>();
    for (String part : q.split("&", -1)) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String name = referenceDecode(eq < 0 ? part : part.substring(0, eq));
      String value = eq < 0 ? "" : referenceDecode(part.substring(eq + 1));
      if (NAMES.contains(name) && !first.containsKey(name)) {
        first.put(name, value);
        order.add(name);
      }
    }
    Map<String, String> m = new HashMap<>();
    for (String n : List.of("id", "b", "be", "db", "os", "ut")) {
      m.put(n, first.get(n));
    }
    String failure = null;
    for (String n : order) {
      if (!n.equals("uc") && !n.equals("tc") && !n.equals("auc")) {
        continue;
      }
      String v = first.get(n);
      Long parsed = null;
      if (!v.isEmpty()) {
        if (v.matches("-?[0-9]+")) {
          try {
            parsed = Long.parseLong(v);
          } catch (NumberFormatException e) {
            parsed = null;
          }
        }
        if (parsed == null && failure == null) {
          failure = "bad_number_" + n;
        }
      }
      m.put(n, parsed == null ? null : parsed.toString());
    }
    for (String n : List.of("uc", "tc", "auc")) {
      m.putIfAbsent(n, null);
    }
    m.put("failure", failure);
    return m;
  }

  /** '+' as space, then one unquote: valid %XX are bytes, runs of bytes are UTF-8 (replacing). */
  static String referenceDecode(String s) {
    StringBuilder out = new StringBuilder();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); ) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length() && isAsciiHex(s.charAt(i + 1)) && isAsciiHex(s.charAt(i + 2))) {
        bytes.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 3;
      } else if (c < 0x80) {
        bytes.write(c == '+' ? ' ' : c);
        i++;
      } else {
        out.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
        bytes.reset();
        out.append(c);
        i++;
      }
    }
    out.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
    return out.toString();
  }

  private static boolean isAsciiHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** The text with lone surrogates replaced (they have no UTF-8 form). */
  private static String wellFormed(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        sb.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        sb.append('?');
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static String percentEncode(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      sb.append('%').append(String.format("%02X", b & 0xff));
    }
    return sb.toString();
  }
}
