package dw.transforms.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Utf8Lines gives the lines {@link BufferedReader#readLine()} over an InputStreamReader gives. */
class Utf8LinesTest {
  @Test
  void theSameLinesAsBufferedReaderForHandPickedInputs() throws IOException {
    String[] inputs = {
      "", "\n", "\r", "\r\n", "a", "a\n", "a\r\nb", "a\n\nb\n", "a\r\rb", "a\r\n\r\nb\r",
      "tab\tseparated\tline\n#Fields: date time\n", "é ü 漢字 😀\nzweite Zeile",
    };
    for (String s : inputs) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      for (int size : new int[] {1, 2, 3, 16, 1 << 16}) {
        assertEquals(expected(b), actual(b, size, 1 << 20), "input " + escape(s) + ", buffer " + size);
      }
    }
  }

  @Test
  void theSameLinesAsBufferedReaderForRandomBytes() throws IOException {
    Random r = new Random(42);
    byte[] alphabet = "ab\t\n\r\r\n é".getBytes(StandardCharsets.UTF_8);
    for (int round = 0; round < 2_000; round++) {
      byte[] b = new byte[r.nextInt(200)];
      for (int i = 0; i < b.length; i++) {
        // mostly text with terminators, some arbitrary bytes (malformed UTF-8 included)
        b[i] = r.nextInt(8) == 0 ? (byte) r.nextInt(256) : alphabet[r.nextInt(alphabet.length)];
      }
      int size = 1 + r.nextInt(40);
      int chunk = 1 + r.nextInt(7); // the stream hands over a few bytes at a time
      assertEquals(expected(b), actual(b, size, chunk), "round " + round + ", buffer " + size);
    }
  }

  @Test
  void aLineLongerThanTheBufferGrowsIt() throws IOException {
    String longLine = "x".repeat(100_000);
    byte[] b = (longLine + "\nshort\n").getBytes(StandardCharsets.UTF_8);
    assertEquals(List.of(longLine, "short"), actual(b, 64, 1 << 20));
  }

  private static List<String> expected(byte[] b) throws IOException {
    List<String> lines = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(new ByteArrayInputStream(b), StandardCharsets.UTF_8))) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        lines.add(l);
      }
    }
    return lines;
  }

  private static List<String> actual(byte[] b, int bufferSize, int chunk) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Utf8Lines r = new Utf8Lines(new Trickle(b, chunk), bufferSize)) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        lines.add(l);
      }
    }
    return lines;
  }

  /** A stream that returns at most {@code chunk} bytes per read, as network streams do. */
  private static final class Trickle extends InputStream {
    private final byte[] b;
    private final int chunk;
    private int pos;

    Trickle(byte[] b, int chunk) {
      this.b = b;
      this.chunk = chunk;
    }

    @Override
    public int read() {
      return pos < b.length ? b[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] out, int off, int len) {
      if (pos >= b.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, chunk), b.length - pos);
      System.arraycopy(b, pos, out, off, n);
      pos += n;
      return n;
    }
  }

  private static String escape(String s) {
    return s.replace("\r", "\\r").replace("\n", "\\n");
  }
}
