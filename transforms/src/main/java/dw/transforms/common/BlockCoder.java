package dw.transforms.common;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;

/**
 * Base of the project's Beam coders: an element is written as one block, {@code <length><bytes>},
 * built in a reusable per-thread array and handed to the stream in a single {@code write}, and read
 * back with a single bulk read.
 *
 * <p>Why: on the Flink runner every byte-level {@code read()}/{@code write(int)} on the coder's
 * stream is a virtual call into Flink's memory-segment views (with bounds checks); with one call per
 * var-int byte and per string, coders took about a third of the backfill's CPU. Field encodings
 * inside the block are those of {@link Writer} and {@link Reader}: zig-zag var-longs,
 * length-prefixed UTF-8 strings (0 = null), nullable longs and booleans.
 *
 * <p>Subclasses implement {@link #write} and {@link #read}; a coder nested in another writes into
 * the same {@link Writer} (call its {@link #write}, not {@link #encode}).
 */
public abstract class BlockCoder<T> extends AtomicCoder<T> {
  private static final int LENGTH_ROOM = 5;
  /** Per-thread buffers larger than this are not kept after use. */
  private static final int KEEP_LIMIT = 1 << 20;

  private static final ThreadLocal<Writer> WRITERS = ThreadLocal.withInitial(() -> new Writer(256));
  private static final ThreadLocal<byte[][]> READ_BUFFERS =
      ThreadLocal.withInitial(() -> new byte[][] {new byte[256]});

  /** Writes {@code value}'s fields. */
  public abstract void write(T value, Writer w);

  /** Reads the fields written by {@link #write}. */
  public abstract T read(Reader r) throws IOException;

  @Override
  public final void encode(T value, OutputStream out) throws IOException {
    if (value == null) {
      throw new CoderException(getClass().getSimpleName() + " cannot encode null");
    }
    Writer w = WRITERS.get();
    boolean shared = !w.inUse;
    if (!shared) {
      w = new Writer(256); // re-entered (a coder called encode from write): use a private buffer
    }
    w.inUse = true;
    try {
      w.pos = LENGTH_ROOM;
      write(value, w);
      int n = w.pos - LENGTH_ROOM;
      int start = LENGTH_ROOM - varIntSize(n);
      int p = start;
      int v = n;
      while ((v & ~0x7F) != 0) {
        w.buf[p++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      w.buf[p] = (byte) v;
      out.write(w.buf, start, w.pos - start);
    } finally {
      w.inUse = false;
      if (shared && w.buf.length > KEEP_LIMIT) {
        WRITERS.set(new Writer(256));
      }
    }
  }

  @Override
  public final T decode(InputStream in) throws IOException {
    int n = readLength(in);
    byte[][] holder = READ_BUFFERS.get();
    byte[] buf = holder[0];
    boolean shared = buf != null;
    if (!shared || buf.length < n) {
      buf = new byte[Math.max(n, 256)];
    }
    holder[0] = null; // taken; a re-entrant decode allocates its own
    try {
      int got = in.readNBytes(buf, 0, n);
      if (got != n) {
        throw new EOFException(
            getClass().getSimpleName() + ": truncated element (" + got + " of " + n + " bytes)");
      }
      Reader r = new Reader(buf, 0, n);
      T v = read(r);
      if (r.pos != n) {
        throw new CoderException(
            getClass().getSimpleName() + ": " + (n - r.pos) + " bytes left after the element");
      }
      return v;
    } finally {
      if (shared) {
        holder[0] = buf.length > KEEP_LIMIT ? new byte[256] : buf;
      }
    }
  }

  @Override
  public void verifyDeterministic() {}

  private static int varIntSize(int v) {
    int n = 1;
    while ((v & ~0x7F) != 0) {
      n++;
      v >>>= 7;
    }
    return n;
  }

  private static int readLength(InputStream in) throws IOException {
    int v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("truncated element length");
      }
      v |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (v < 0) {
          throw new CoderException("malformed element length");
        }
        return v;
      }
    }
    throw new CoderException("malformed element length");
  }

  /**
   * The writing side's string dictionary: each distinct string of a block and the order it was
   * first written in. Open addressing over arrays that one writer keeps from block to block, with a
   * block number per slot, so that starting a block clears nothing and adding boxes nothing: with a
   * new {@code HashMap} per block, its growth and its boxed indexes cost a backfill's reading step a
   * tenth of its time (docs/performance.md).
   */
  static final class StringIndex {
    private String[] keys = new String[64];
    private int[] indexes = new int[64];
    private int[] blocks = new int[64];
    private int block = 1;
    private int size;

    void clear() {
      size = 0;
      if (++block == Integer.MAX_VALUE || keys.length > (1 << 16)) {
        // a block number that wrapped, or arrays grown for one unusual block: start afresh
        keys = new String[64];
        indexes = new int[64];
        blocks = new int[64];
        block = 1;
      }
    }

    /** {@code s}'s index if this block has it; otherwise adds it as the next index and returns -1. */
    int indexOrAdd(String s) {
      int mask = keys.length - 1;
      int i = mix(s.hashCode()) & mask;
      while (blocks[i] == block) {
        String k = keys[i];
        if (k == s || k.equals(s)) {
          return indexes[i];
        }
        i = (i + 1) & mask;
      }
      keys[i] = s;
      indexes[i] = size++;
      blocks[i] = block;
      if (size * 2 > keys.length) {
        grow();
      }
      return -1;
    }

    private void grow() {
      String[] oldKeys = keys;
      int[] oldIndexes = indexes;
      int[] oldBlocks = blocks;
      int n = oldKeys.length * 2;
      keys = new String[n];
      indexes = new int[n];
      blocks = new int[n];
      int mask = n - 1;
      for (int j = 0; j < oldKeys.length; j++) {
        if (oldBlocks[j] == block) {
          int i = mix(oldKeys[j].hashCode()) & mask;
          while (blocks[i] == block) {
            i = (i + 1) & mask;
          }
          keys[i] = oldKeys[j];
          indexes[i] = oldIndexes[j];
          blocks[i] = block;
        }
      }
    }

    private static int mix(int h) {
      h *= 0x9E3779B1;
      return h ^ (h >>> 16);
    }
  }

  /** A growable byte array with the field encodings. */
  public static final class Writer {
    byte[] buf;
    int pos;
    boolean inUse;
    /** Strings written so far by {@link #writeCommonString}, kept from block to block. */
    private final StringIndex dictionary = new StringIndex();
    /** Whether a dictionary is on. */
    private boolean dictionaryOn;

    /**
     * Turns on a dictionary for {@link #writeCommonString} until {@link #endDictionary}: a string
     * written again is written as a back-reference to its first occurrence in this block.
     */
    public void startDictionary() {
      dictionary.clear();
      dictionaryOn = true;
    }

    public void endDictionary() {
      dictionaryOn = false;
    }

    /**
     * A nullable string that many values share (a version, an OS, a country name). Without a
     * dictionary this is {@link #writeString}; with one, a repeat is written as {@code -(index+1)}
     * (a zig-zag var-long, which a string length never is).
     */
    public void writeCommonString(String s) {
      if (!dictionaryOn || s == null) {
        writeString(s);
        return;
      }
      int index = dictionary.indexOrAdd(s);
      if (index >= 0) {
        writeVarLong(-(index + 1L));
        return;
      }
      writeString(s);
    }

    Writer(int capacity) {
      buf = new byte[capacity];
    }

    private void ensure(int more) {
      if (pos + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
      }
    }

    public void writeByte(int b) {
      ensure(1);
      buf[pos++] = (byte) b;
    }

    public void writeBoolean(boolean b) {
      writeByte(b ? 1 : 0);
    }

    /** Zig-zag var-long: small magnitudes of either sign stay short. */
    public void writeVarLong(long v) {
      ensure(10);
      long z = (v << 1) ^ (v >> 63);
      while ((z & ~0x7FL) != 0) {
        buf[pos++] = (byte) ((z & 0x7F) | 0x80);
        z >>>= 7;
      }
      buf[pos++] = (byte) z;
    }

    public void writeVarInt(int v) {
      writeVarLong(v);
    }

    /** A nullable string: UTF-8 length + 1 (0 = null), then the bytes. */
    public void writeString(String s) {
      if (s == null) {
        writeByte(0);
        return;
      }
      // The JDK encodes an ASCII string as one vectorized check and one array copy: faster than
      // copying it char by char (charAt's checks per char), even with the short-lived array.
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      writeVarLong(b.length + 1L);
      ensure(b.length);
      System.arraycopy(b, 0, buf, pos, b.length);
      pos += b.length;
    }

    /** Raw bytes, as they are (the reader takes them back with {@link Reader#readRest}). */
    /** Bytes written so far in this block (for {@link #copySince}). */
    public int position() {
      return pos;
    }

    /** A copy of the bytes written since {@code start} (a {@link #position()}). */
    public byte[] copySince(int start) {
      return Arrays.copyOfRange(buf, start, pos);
    }

    public void writeBytes(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, buf, pos, b.length);
      pos += b.length;
    }

    /**
     * A format marker, written first in a versioned block: a negative var-long, which the first
     * field of an unversioned block (a count, a time) never is, so {@link Reader#readFormat} tells a
     * block of an older unversioned format from a versioned one.
     */
    public void writeFormat(int format) {
      if (format <= 0) {
        throw new IllegalArgumentException("formats start at 1");
      }
      writeVarLong(-format);
    }

    /** Eight bytes, big-endian: for values that a var-long would not shorten (hashes). */
    public void writeFixedLong(long v) {
      ensure(8);
      for (int i = 7; i >= 0; i--) {
        buf[pos++] = (byte) (v >>> (8 * i));
      }
    }

    /**
     * A nullable string of lowercase hex digits (a hash) as its bytes, half its length; any other
     * string as {@link #writeString}. Tag 0 = null, 1 = hex bytes (var-int count), 2 = string.
     */
    public void writeHex(String s) {
      if (s == null) {
        writeByte(0);
        return;
      }
      int n = s.length();
      if ((n & 1) == 0) {
        // one pass over the Latin-1 bytes (one array copy; a char outside Latin-1 becomes '?',
        // which is not a digit): convert while checking, rewind to a plain string at the first
        // byte that is not a lowercase hex digit
        byte[] chars = s.getBytes(StandardCharsets.ISO_8859_1);
        int start = pos;
        writeByte(1);
        writeVarInt(n / 2);
        ensure(n / 2);
        for (int i = 0; i < n; i += 2) {
          int hi = HEX_VALUES[chars[i] & 0xFF];
          int lo = HEX_VALUES[chars[i + 1] & 0xFF];
          if ((hi | lo) < 0) {
            pos = start;
            writeByte(2);
            writeString(s);
            return;
          }
          buf[pos++] = (byte) (hi << 4 | lo);
        }
        return;
      }
      writeByte(2);
      writeString(s);
    }

    /** Each byte's value as a lowercase hex digit, or -1. */
    private static final byte[] HEX_VALUES = new byte[256];

    static {
      Arrays.fill(HEX_VALUES, (byte) -1);
      for (int c = '0'; c <= '9'; c++) {
        HEX_VALUES[c] = (byte) (c - '0');
      }
      for (int c = 'a'; c <= 'f'; c++) {
        HEX_VALUES[c] = (byte) (c - 'a' + 10);
      }
    }

    public void writeNullableLong(Long v) {
      if (v == null) {
        writeByte(0);
      } else {
        writeByte(1);
        writeVarLong(v);
      }
    }

    public void writeNullableInt(Integer v) {
      writeNullableLong(v == null ? null : v.longValue());
    }

    /** 0 null, 1 false, 2 true. */
    public void writeNullableBoolean(Boolean v) {
      writeByte(v == null ? 0 : (v ? 2 : 1));
    }
  }

  /** Reads the encodings of {@link Writer} from an array. */
  public static final class Reader {
    private final byte[] buf;
    private final int end;
    int pos;
    /** Strings read by {@link #readCommonString} while a dictionary is on, or null. */
    private java.util.ArrayList<String> dictionary;

    /** The reading side of {@link Writer#startDictionary}. */
    public void startDictionary() {
      dictionary = new java.util.ArrayList<>();
    }

    public void endDictionary() {
      dictionary = null;
    }

    /** Reads {@link Writer#writeCommonString}; a repeat is the same {@code String} instance. */
    public String readCommonString() throws IOException {
      if (dictionary == null) {
        return readString();
      }
      long v = readVarLong();
      if (v < 0) {
        long index = -v - 1;
        if (index >= dictionary.size()) {
          throw new CoderException("string back-reference " + index + " past " + dictionary.size() + " strings");
        }
        return dictionary.get((int) index);
      }
      String s = readStringBody(v);
      if (s != null) {
        dictionary.add(s);
      }
      return s;
    }

    Reader(byte[] buf, int pos, int end) {
      this.buf = buf;
      this.pos = pos;
      this.end = end;
    }

    /** A reader over bytes kept from {@link #readRest} (decoding them later). */
    public static Reader over(byte[] bytes) {
      return new Reader(bytes, 0, bytes.length);
    }

    /** A copy of the rest of the element's bytes (for a value decoded only when used). */
    public byte[] readRest() {
      byte[] rest = Arrays.copyOfRange(buf, pos, end);
      pos = end;
      return rest;
    }

    /** True when every byte has been read. */
    public boolean atEnd() {
      return pos == end;
    }

    public int readByte() throws IOException {
      if (pos >= end) {
        throw new EOFException("element ends early");
      }
      return buf[pos++] & 0xFF;
    }

    public boolean readBoolean() throws IOException {
      return readByte() != 0;
    }

    public long readVarLong() throws IOException {
      long z = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = readByte();
        z |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return (z >>> 1) ^ -(z & 1);
        }
      }
      throw new CoderException("malformed var-long");
    }

    public int readVarInt() throws IOException {
      return (int) readVarLong();
    }

    public String readString() throws IOException {
      return readStringBody(readVarLong());
    }

    private String readStringBody(long len) throws IOException {
      if (len == 0) {
        return null;
      }
      int n = (int) (len - 1);
      if (n < 0 || n > end - pos) {
        throw new EOFException("string runs past the element (" + n + " bytes)");
      }
      String s = new String(buf, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }

    /**
     * The format of a block that starts with {@link Writer#writeFormat}; 0 when the block starts
     * with a non-negative var-long instead (an unversioned older format; that value is consumed).
     */
    public int readFormat() throws IOException {
      long v = readVarLong();
      return v < 0 && v >= Integer.MIN_VALUE ? (int) -v : 0;
    }

    public long readFixedLong() throws IOException {
      if (end - pos < 8) {
        throw new EOFException("element ends early");
      }
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (buf[pos++] & 0xFF);
      }
      return v;
    }

    private static final byte[] HEX_BYTES = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** Scratch for {@link #readHex}. */
    private byte[] hexScratch;

    /** Reads {@link Writer#writeHex}. */
    public String readHex() throws IOException {
      int tag = readByte();
      if (tag == 0) {
        return null;
      }
      if (tag == 2) {
        return readString();
      }
      if (tag != 1) {
        throw new CoderException("bad hex string tag " + tag);
      }
      int n = readVarInt();
      if (n < 0 || n > end - pos) {
        throw new EOFException("hex string runs past the element (" + n + " bytes)");
      }
      // ASCII digits into a scratch array, then one copy into a Latin-1 string (a char[] took
      // twice the bytes and a second copy to compress)
      byte[] c = hexScratch;
      if (c == null || c.length < 2 * n) {
        c = hexScratch = new byte[Math.max(64, 2 * n)];
      }
      for (int i = 0; i < n; i++) {
        int b = buf[pos++] & 0xFF;
        c[2 * i] = HEX_BYTES[b >>> 4];
        c[2 * i + 1] = HEX_BYTES[b & 0x0F];
      }
      return new String(c, 0, 2 * n, StandardCharsets.ISO_8859_1);
    }

    public Long readNullableLong() throws IOException {
      return readByte() == 0 ? null : readVarLong();
    }

    public Integer readNullableInt() throws IOException {
      Long v = readNullableLong();
      return v == null ? null : v.intValue();
    }

    public Boolean readNullableBoolean() throws IOException {
      int b = readByte();
      return b == 0 ? null : b == 2;
    }
  }
}
