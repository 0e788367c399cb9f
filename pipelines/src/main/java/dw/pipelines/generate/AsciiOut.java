package dw.pipelines.generate;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A byte buffer for ASCII text (everything this generator writes is ASCII), flushed to {@code out} when full,
 * or kept in memory when {@code out} is null. Avoids a char encoder on the hot path.
 */
final class AsciiOut {
  private final OutputStream out;
  private byte[] buf;
  private int len;
  private long flushed;
  private final byte[] digits = new byte[20];

  AsciiOut(OutputStream out, int size) {
    this.out = out;
    this.buf = new byte[size];
  }

  private void room(int n) {
    if (len + n > buf.length) {
      makeRoom(n);
    }
  }

  private void makeRoom(int n) {
    if (out != null) {
      flush();
    }
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
  }

  void flush() {
    try {
      out.write(buf, 0, len);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    flushed += len;
    len = 0;
  }

  /** Bytes appended so far. */
  long written() {
    return flushed + len;
  }

  AsciiOut b(byte c) {
    room(1);
    buf[len++] = c;
    return this;
  }

  AsciiOut c(char c) {
    return b((byte) c);
  }

  @SuppressWarnings("deprecation")
  AsciiOut s(String v) {
    int l = v.length();
    room(l);
    v.getBytes(0, l, buf, len); // ASCII only: the low byte of each char
    len += l;
    return this;
  }

  AsciiOut s(CharSequence v) {
    if (v instanceof String str) {
      return s(str);
    }
    int l = v.length();
    room(l);
    for (int i = 0; i < l; i++) {
      buf[len++] = (byte) v.charAt(i);
    }
    return this;
  }

  AsciiOut num(long v) {
    if (v < 0) {
      c('-');
      v = -v;
    }
    int k = 0;
    do {
      digits[k++] = (byte) ('0' + v % 10);
      v /= 10;
    } while (v > 0);
    room(k);
    while (k > 0) {
      buf[len++] = digits[--k];
    }
    return this;
  }

  AsciiOut two(int v) {
    room(2);
    buf[len++] = (byte) ('0' + v / 10);
    buf[len++] = (byte) ('0' + v % 10);
    return this;
  }

  AsciiOut millis(int ms) {
    room(5);
    buf[len++] = '0';
    buf[len++] = '.';
    buf[len++] = (byte) ('0' + ms / 100);
    buf[len++] = (byte) ('0' + ms / 10 % 10);
    buf[len++] = (byte) ('0' + ms % 10);
    return this;
  }

  @Override
  public String toString() {
    return new String(buf, 0, len, StandardCharsets.US_ASCII);
  }
}
