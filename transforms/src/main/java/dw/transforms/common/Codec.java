package dw.transforms.common;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Primitive encodings shared by the project's hand-written Beam coders: var-ints, nullable
 * strings and nullable longs. Compact and allocation-light, so nothing falls back to Kryo.
 */
public final class Codec {
  private Codec() {}

  public static void writeVarLong(OutputStream out, long v) throws IOException {
    // zig-zag so that small negative values stay small
    long z = (v << 1) ^ (v >> 63);
    while ((z & ~0x7FL) != 0) {
      out.write((int) ((z & 0x7F) | 0x80));
      z >>>= 7;
    }
    out.write((int) z);
  }

  public static long readVarLong(InputStream in) throws IOException {
    long z = 0;
    int shift = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("truncated var-long");
      }
      z |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
      shift += 7;
      if (shift > 63) {
        throw new IOException("malformed var-long");
      }
    }
    return (z >>> 1) ^ -(z & 1);
  }

  public static void writeVarInt(OutputStream out, int v) throws IOException {
    writeVarLong(out, v);
  }

  public static int readVarInt(InputStream in) throws IOException {
    return (int) readVarLong(in);
  }

  /** A nullable string: length+1 (0 = null), then UTF-8 bytes. */
  public static void writeString(OutputStream out, String s) throws IOException {
    if (s == null) {
      writeVarLong(out, 0);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    writeVarLong(out, b.length + 1L);
    out.write(b);
  }

  public static String readString(InputStream in) throws IOException {
    long len = readVarLong(in);
    if (len == 0) {
      return null;
    }
    int n = (int) (len - 1);
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new EOFException("truncated string");
    }
    return new String(b, StandardCharsets.UTF_8);
  }

  /** A nullable long: a presence byte, then the var-long. */
  public static void writeNullableLong(OutputStream out, Long v) throws IOException {
    if (v == null) {
      out.write(0);
    } else {
      out.write(1);
      writeVarLong(out, v);
    }
  }

  public static Long readNullableLong(InputStream in) throws IOException {
    int flag = in.read();
    if (flag < 0) {
      throw new EOFException("truncated nullable long");
    }
    return flag == 0 ? null : readVarLong(in);
  }

  public static void writeNullableInt(OutputStream out, Integer v) throws IOException {
    writeNullableLong(out, v == null ? null : v.longValue());
  }

  public static Integer readNullableInt(InputStream in) throws IOException {
    Long v = readNullableLong(in);
    return v == null ? null : v.intValue();
  }

  /** A nullable boolean as one byte: 0 null, 1 false, 2 true. */
  public static void writeNullableBoolean(OutputStream out, Boolean v) throws IOException {
    out.write(v == null ? 0 : (v ? 2 : 1));
  }

  public static Boolean readNullableBoolean(InputStream in) throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("truncated boolean");
    }
    return b == 0 ? null : b == 2;
  }
}
