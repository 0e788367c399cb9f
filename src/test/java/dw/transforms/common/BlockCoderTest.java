package dw.transforms.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.transforms.daily.BreakdownKey;
import dw.transforms.daily.DayTotals;
import dw.transforms.daily.ServerDay;
import dw.transforms.daily.ServerDayCoder;
import dw.transforms.pings.SecurityPingCoder;
import dw.transforms.privacy.TestPseudonyms;
import dw.transforms.security.SecurityPing;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;

class BlockCoderTest {

  /** A test coder over a list of nullable strings and longs. */
  static final class PairsCoder extends BlockCoder<List<Object>> {
    @Override
    public void write(List<Object> v, Writer w) {
      w.writeVarInt(v.size());
      for (Object o : v) {
        if (o instanceof Long l) {
          w.writeByte(1);
          w.writeVarLong(l);
        } else {
          w.writeByte(2);
          w.writeString((String) o);
        }
      }
    }

    @Override
    public List<Object> read(Reader r) throws IOException {
      int n = r.readVarInt();
      List<Object> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(r.readByte() == 1 ? (Object) r.readVarLong() : r.readString());
      }
      return out;
    }
  }

  private static <T> T roundTrip(Coder<T> coder, T v) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    coder.encode(v, out);
    return coder.decode(new ByteArrayInputStream(out.toByteArray()));
  }

  /** Writes common strings with a dictionary on, as ServerDayShard's blocks do. */
  static final class DictionaryCoder extends BlockCoder<List<String>> {
    @Override
    public void write(List<String> v, Writer w) {
      w.writeVarInt(v.size());
      w.startDictionary();
      try {
        for (String s : v) {
          w.writeCommonString(s);
        }
      } finally {
        w.endDictionary();
      }
    }

    @Override
    public List<String> read(Reader r) throws IOException {
      int n = r.readVarInt();
      r.startDictionary();
      List<String> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(r.readCommonString());
      }
      return out;
    }
  }

  @Test
  void aDictionaryStartsEmptyInEveryBlockAndGrowsPastItsFirstArrays() throws Exception {
    DictionaryCoder coder = new DictionaryCoder();
    java.util.Random random = new java.util.Random(7);
    for (int block = 0; block < 30; block++) {
      // blocks of very different sizes on one thread's writer: a string of an earlier block must
      // not become a reference in a later one, and growing must keep every index
      int n = block % 3 == 0 ? 5_000 : 1 + random.nextInt(50);
      List<String> values = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        values.add("s" + random.nextInt(n)); // new String instances: equal, not identical
      }
      assertEquals(values, roundTrip(coder, values), "block " + block);
    }
    BlockCoder.StringIndex index = new BlockCoder.StringIndex();
    index.clear();
    for (int i = 0; i < 1000; i++) {
      assertEquals(-1, index.indexOrAdd("k" + i));
    }
    for (int i = 999; i >= 0; i--) {
      assertEquals(i, index.indexOrAdd(new String("k" + i)));
    }
    index.clear();
    assertEquals(-1, index.indexOrAdd("k5"), "a new block starts empty");
    assertEquals(0, index.indexOrAdd("k5"));
  }

  @Test
  void aDictionaryWritesRepeatsAsReferencesAndReadsOneInstance() throws Exception {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      values.add(i % 3 == 0 ? null : "Zürich-" + (i % 4)); // non-ASCII, nulls, 3 distinct
    }
    DictionaryCoder coder = new DictionaryCoder();
    byte[] bytes = org.apache.beam.sdk.util.CoderUtils.encodeToByteArray(coder, values);
    assertTrue(bytes.length < 200, "repeats are references: " + bytes.length + " bytes");
    List<String> back = org.apache.beam.sdk.util.CoderUtils.decodeFromByteArray(coder, bytes);
    assertEquals(values, back);
    assertTrue(back.get(1) == back.get(5), "a repeat is the first occurrence's instance");
    // without a dictionary, common strings are plain strings: the same bytes as writeString
    BlockCoder.Writer plain = new BlockCoder.Writer(16);
    plain.writeCommonString("x");
    plain.writeCommonString("x");
    BlockCoder.Writer strings = new BlockCoder.Writer(16);
    strings.writeString("x");
    strings.writeString("x");
    assertEquals(
        java.util.Arrays.toString(java.util.Arrays.copyOf(strings.buf, strings.pos)),
        java.util.Arrays.toString(java.util.Arrays.copyOf(plain.buf, plain.pos)));
    // a reference past the strings read so far is an error, not a wrong value
    BlockCoder.Writer bad = new BlockCoder.Writer(16);
    bad.writeVarInt(1);
    bad.writeVarLong(-5);
    BlockCoder.Reader r = BlockCoder.Reader.over(java.util.Arrays.copyOf(bad.buf, bad.pos));
    r.readVarInt();
    r.startDictionary();
    assertThrows(org.apache.beam.sdk.coders.CoderException.class, r::readCommonString);
  }

  @Test
  void roundTripsStringsOfEveryKindAndExtremeNumbers() throws Exception {
    List<Object> v = new ArrayList<>();
    v.add("");
    v.add(null);
    v.add("plain ascii");
    v.add("Zürich – Köln 東京 🚀");
    v.add(Long.MIN_VALUE);
    v.add(Long.MAX_VALUE);
    v.add(-1L);
    v.add(0L);
    v.add("x".repeat(300)); // length needs two var-int bytes
    assertEquals(v, roundTrip(new PairsCoder(), v));
  }

  @Test
  void elementsAreSelfDelimitingInsideOtherCoders() throws Exception {
    // nested in Beam's own coders: several elements back to back on one stream
    Coder<KV<String, List<List<Object>>>> coder =
        KvCoder.of(StringUtf8Coder.of(), ListCoder.of(new PairsCoder()));
    List<List<Object>> items = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      List<Object> item = new ArrayList<>();
      item.add("item-" + i);
      item.add((long) i * 1_000_003L);
      items.add(item);
    }
    CoderProperties.coderDecodeEncodeEqual(coder, KV.of("key", items));
  }

  @Test
  void largeElementsBeyondTheKeptBufferRoundTrip() throws Exception {
    List<Object> big = new ArrayList<>();
    for (int i = 0; i < 60_000; i++) {
      big.add("server-" + i + "-" + "abcdefghij".repeat(3));
    }
    PairsCoder coder = new PairsCoder();
    assertEquals(big, roundTrip(coder, big));
    List<Object> small = List.of("after a large one");
    assertEquals(small, roundTrip(coder, small));
  }

  @Test
  void aTruncatedStreamIsAnErrorNotAShortElement() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new PairsCoder().encode(List.of("0123456789"), out);
    byte[] bytes = out.toByteArray();
    InputStream cut = new ByteArrayInputStream(bytes, 0, bytes.length - 3);
    EOFException e = assertThrows(EOFException.class, () -> new PairsCoder().decode(cut));
    assertTrue(e.getMessage().contains("truncated element"), e.getMessage());
  }

  @Test
  void aCoderThatEncodesAnotherThroughTheStreamStillWorks() throws Exception {
    // re-entrant use of the per-thread buffer: write() calling encode() of another BlockCoder
    BlockCoder<String> inner =
        new BlockCoder<>() {
          @Override
          public void write(String v, Writer w) {
            w.writeString(v);
          }

          @Override
          public String read(Reader r) throws IOException {
            return r.readString();
          }
        };
    BlockCoder<String> outer =
        new BlockCoder<>() {
          @Override
          public void write(String v, Writer w) {
            ByteArrayOutputStream nested = new ByteArrayOutputStream();
            try {
              inner.encode(v + "-inner", nested);
            } catch (IOException e) {
              throw new IllegalStateException(e);
            }
            w.writeString(v);
            w.writeVarInt(nested.size());
          }

          @Override
          public String read(Reader r) throws IOException {
            String s = r.readString();
            r.readVarInt();
            return s;
          }
        };
    assertEquals("abc", roundTrip(outer, "abc"));
  }

  @Test
  void pingsAndServerDaysKeepEveryFieldIncludingTheDerivedVersion() throws Exception {
    SecurityPing p =
        SecurityPing.builder()
            .eventTimeMillis(1_790_000_000_123L)
            .serverId("abcdefghijklmnopqrstuvwxyz")
            .rawBuild("10.5.1.123456789.cloud")
            .enterpriseReady(true)
            .database("postgres")
            .os("linux")
            .registeredUsers(120L)
            .teams(null)
            .activeUsers(40L)
            .clientIp("2001:db8::1")
            .edgeLocation("FRA56-P1")
            .requestId("req==")
            .geo("DE", "Germany", "BY", "Bayern", "München", 3320L)
            .exclusionMask(5)
            .build();
    SecurityPing back = roundTrip(SecurityPingCoder.of(), p);
    assertEquals(p, back);
    assertEquals(p.versionFull(), back.versionFull());
    assertEquals(p.versionMajor(), back.versionMajor());
    assertEquals(p.customBuild(), back.customBuild());
    CoderProperties.coderDeterministic(SecurityPingCoder.of(), p, back);

    ServerDay d =
        new ServerDay()
            .add(TestPseudonyms.pseudonymized(p.toBuilder()))
            .add(TestPseudonyms.pseudonymized(p.toBuilder().clientIp("10.0.0.1")));
    ServerDay dBack = roundTrip(ServerDayCoder.of(), d);
    assertEquals(d, dBack);
    assertEquals(2, dBack.distinctIps());
    assertEquals(d.latest().clientIpHash(), dBack.latest().clientIpHash());
    assertEquals(d.latest().clientIpFingerprint(), dBack.latest().clientIpFingerprint());
    assertEquals(0, roundTrip(ServerDayCoder.of(), new ServerDay()).pings());
  }

  /** Writes a block that starts like the unversioned formats (a time, a count) or a future one. */
  static final class FirstFieldCoder extends BlockCoder<Long> {
    @Override
    public void write(Long first, Writer w) {
      w.writeVarLong(first);
      w.writeString("192.0.2.1");
    }

    @Override
    public Long read(Reader r) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void stateOfTheUnversionedClearIpFormatIsRefusedWithAMessage() throws Exception {
    ByteArrayOutputStream legacyPing = new ByteArrayOutputStream();
    new FirstFieldCoder().encode(1_790_000_000_123L, legacyPing); // the old coder began with the time
    CoderException e =
        assertThrows(
            CoderException.class,
            () -> SecurityPingCoder.of().decode(new ByteArrayInputStream(legacyPing.toByteArray())));
    assertTrue(e.getMessage().contains("unversioned format") && e.getMessage().contains("docs/privacy.md"), e.getMessage());
    ByteArrayOutputStream legacyDay = new ByteArrayOutputStream();
    new FirstFieldCoder().encode(3L, legacyDay); // the old server-day began with its ping count
    e = assertThrows(CoderException.class, () -> ServerDayCoder.of().decode(new ByteArrayInputStream(legacyDay.toByteArray())));
    assertTrue(e.getMessage().contains("server-day"), e.getMessage());
    ByteArrayOutputStream future = new ByteArrayOutputStream();
    new FirstFieldCoder().encode(-(SecurityPingCoder.FORMAT + 1L), future);
    e = assertThrows(CoderException.class, () -> SecurityPingCoder.of().decode(new ByteArrayInputStream(future.toByteArray())));
    assertTrue(e.getMessage().contains("format " + (SecurityPingCoder.FORMAT + 1)), e.getMessage());
  }

  @Test
  void encodedPingsAndServerDaysHoldNoClearAddress() throws Exception {
    SecurityPing p =
        TestPseudonyms.pseudonymized(
            SecurityPing.builder()
                .eventTimeMillis(1_790_000_000_123L)
                .serverId("abcdefghijklmnopqrstuvwxyz")
                .rawBuild("9.5.3")
                .clientIp("198.51.100.203"));
    assertNull(p.clientIp());
    ServerDay d = new ServerDay().add(p);
    for (byte[] bytes :
        List.of(
            org.apache.beam.sdk.util.CoderUtils.encodeToByteArray(SecurityPingCoder.of(), p),
            org.apache.beam.sdk.util.CoderUtils.encodeToByteArray(ServerDayCoder.of(), d))) {
      String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
      assertTrue(!text.contains("198.51.100.203") && !text.contains(p.clientIpHash()), "hash as 32 bytes, no address");
    }
    SecurityPing back = roundTrip(SecurityPingCoder.of(), p);
    assertEquals(p.clientIpHash(), back.clientIpHash());
    assertEquals(p.clientIpFingerprint(), back.clientIpFingerprint());
  }

  @Test
  void dayTotalsAndDeadLettersRoundTrip() throws Exception {
    DayTotals t =
        new DayTotals(
            20_000,
            List.of(new DayTotals.Row(new BreakdownKey("10.5", "E0", "postgres", "linux", "DE"), 3, 40, 50, 120)));
    DayTotals tBack = roundTrip(DayTotals.Coder.of(), t);
    assertEquals(t.logEpochDay(), tBack.logEpochDay());
    assertEquals(t.rows(), tBack.rows());
    DeadLetter dl = new DeadLetter("security-pings", "s3://b/k.gz", 7, "too_few_fields", "a\tb");
    DeadLetter dlBack = roundTrip(DeadLetter.Coder.of(), dl);
    assertEquals(dl, dlBack);
    assertEquals("a\tb", dlBack.rawLine());
    assertNull(roundTrip(new PairsCoder(), java.util.Collections.singletonList((Object) null)).get(0));
  }

  @Test
  void nullElementsAreRefusedWithTheCodersName() {
    OutputStream sink = OutputStream.nullOutputStream();
    Exception e = assertThrows(Exception.class, () -> new PairsCoder().encode(null, sink));
    assertTrue(e.getMessage().contains("PairsCoder"), e.getMessage());
  }

  /** writeHex against its contract: lowercase even-length hex as bytes (tag 1), anything else as a string (tag 2). */
  @Test
  void hexStringsAreBytesAndEverythingElseRoundTripsAsText() throws IOException {
    String[] cases = {
      "", "00", "0a1b2c3d4e5f6789", "ff", "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789",
      "ABCDEF", "0a1b2c3d4e5f678", "0a1b2c3d4e5f678g", "g0", "0g", "1.2.3.4", "zz", "a-", "0a1b2c3d4e5f67éa",
      // outside Latin-1, with low bytes that are digits ('a', '1'): text, not bytes
      "0\u0161", "\u0161\u0131", "\u0101\u0161",
    };
    for (String c : cases) {
      BlockCoder.Writer w = new BlockCoder.Writer(4);
      w.writeHex(c);
      byte[] bytes = w.copySince(0);
      boolean hex = c.length() % 2 == 0 && c.chars().allMatch(ch -> (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'));
      assertEquals(hex ? 1 : 2, bytes[0], c);
      if (hex) {
        assertEquals(1 + 1 + c.length() / 2, bytes.length, "half the length: " + c);
        for (int i = 0; i < c.length() / 2; i++) {
          assertEquals((byte) Integer.parseInt(c.substring(2 * i, 2 * i + 2), 16), bytes[2 + i], c);
        }
      }
      assertEquals(c, BlockCoder.Reader.over(bytes).readHex(), c);
    }
    BlockCoder.Writer w = new BlockCoder.Writer(4);
    w.writeHex(null);
    assertNull(BlockCoder.Reader.over(w.copySince(0)).readHex());
    // several hashes of one block, longer and shorter ones: each string has only its own digits
    String longer = "0123456789abcdef".repeat(12);
    BlockCoder.Writer many = new BlockCoder.Writer(4);
    for (String c : List.of(longer, "ab", longer.substring(0, 64), "", "00ff")) {
      many.writeHex(c);
    }
    BlockCoder.Reader r = BlockCoder.Reader.over(many.copySince(0));
    for (String c : List.of(longer, "ab", longer.substring(0, 64), "", "00ff")) {
      assertEquals(c, r.readHex());
    }
  }
}
