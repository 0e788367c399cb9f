package dw.geo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes MaxMind DB ({@code .mmdb}) files, format version 2.0, so tests and demos can build their
 * own GeoIP databases instead of committing MaxMind's.
 *
 * <pre>{@code
 * new MmdbWriter("GeoLite2-City", 6, 28)
 *     .description("en", "demo database")
 *     .insert("81.2.69.0/24", GeoRecords.cityRecord("GB", "United Kingdom", null, null, "London"))
 *     .insert("2001:db8::/32", GeoRecords.cityRecord("DE", "Germany", null, null, null))
 *     .write(path);
 * }</pre>
 *
 * <p>Networks: in an IPv6 database an IPv4 network {@code a.b.c.d/n} is stored at {@code
 * ::a.b.c.d/(96+n)}, where MaxMind's readers look up IPv4 addresses. (Unlike MaxMind's databases
 * there are no aliases for {@code ::ffff:0:0/96} or {@code 2002::/16}; Java readers turn
 * IPv4-mapped addresses into IPv4 before the lookup.) Inserts apply in order and a later insert
 * replaces whatever an earlier one stored for the addresses it covers: insert broad networks first,
 * then the more specific ones nested inside them.
 *
 * <p>Record values: {@link Map} with {@link String} keys, {@link String}, {@link Boolean}, {@link
 * Double}, {@link Float}, {@code byte[]}, {@link List}, and integers. {@link Integer}/{@link Long}
 * values are written as uint32 when in 0..2<sup>32</sup>-1, as uint64 above that, and as int32 when
 * negative; {@link BigInteger} as uint64 or uint128. Use {@link #uint16}, {@link #uint32}, {@link
 * #uint64} or {@link #int32} to force a type. Identical records are stored once, and so is every map,
 * array and string inside them (referenced by pointers, as in MaxMind's databases). Map keys are
 * written in sorted order, so output depends only on content, insert order and build epoch.
 *
 * <p>Not thread-safe. Memory and time are linear in the number of inserted networks times the
 * address length.
 */
public final class MmdbWriter {

  private static final byte[] METADATA_MARKER = {
    (byte) 0xab, (byte) 0xcd, (byte) 0xef, 'M', 'a', 'x', 'M', 'i', 'n', 'd', '.', 'c', 'o', 'm'
  };
  private static final int DATA_SECTION_SEPARATOR = 16;
  private static final int MAX_PAYLOAD_SIZE = 16_843_036;

  // Type numbers from the specification.
  private static final int UTF8_STRING = 2;
  private static final int DOUBLE = 3;
  private static final int BYTES = 4;
  private static final int UINT16 = 5;
  private static final int UINT32 = 6;
  private static final int MAP = 7;
  private static final int INT32 = 8;
  private static final int UINT64 = 9;
  private static final int UINT128 = 10;
  private static final int ARRAY = 11;
  private static final int BOOLEAN = 14;
  private static final int FLOAT = 15;

  private static final BigInteger TWO_POW_64 = BigInteger.ONE.shiftLeft(64);
  private static final BigInteger TWO_POW_128 = BigInteger.ONE.shiftLeft(128);

  private final String databaseType;
  private final int ipVersion;
  private final int recordSize;
  private final Map<String, String> description = new TreeMap<>();
  private final List<String> languages = new ArrayList<>();
  private long buildEpoch = Instant.now().getEpochSecond();

  private final Node root = new Node(null, null);

  /** Encoded record bytes to their shared data entry: identical records are stored once. */
  private final Map<ByteBuffer, Data> records = new HashMap<>();

  /**
   * @param databaseType e.g. {@code GeoLite2-City}; GeoIP2's {@code DatabaseReader} only opens
   *     types it knows, e.g. names containing {@code City} or {@code Country}, or {@code
   *     GeoLite2-ASN}
   * @param ipVersion 6 (IPv4 and IPv6 networks) or 4 (IPv4 only)
   * @param recordSize bits per search tree record: 24, 28 or 32
   */
  public MmdbWriter(String databaseType, int ipVersion, int recordSize) {
    if (databaseType == null || databaseType.isEmpty()) {
      throw new IllegalArgumentException("databaseType is required");
    }
    if (ipVersion != 4 && ipVersion != 6) {
      throw new IllegalArgumentException("ipVersion must be 4 or 6, not " + ipVersion);
    }
    if (recordSize != 24 && recordSize != 28 && recordSize != 32) {
      throw new IllegalArgumentException("recordSize must be 24, 28 or 32, not " + recordSize);
    }
    this.databaseType = databaseType;
    this.ipVersion = ipVersion;
    this.recordSize = recordSize;
  }

  /** Adds a description in one language (metadata {@code description}). */
  public MmdbWriter description(String language, String text) {
    description.put(language, text);
    return this;
  }

  /** Sets the locales the records carry names for (metadata {@code languages}). */
  public MmdbWriter languages(String... locales) {
    languages.clear();
    languages.addAll(Arrays.asList(locales));
    return this;
  }

  /** Sets the build time in seconds since the epoch (default: now). */
  public MmdbWriter buildEpoch(long epochSeconds) {
    this.buildEpoch = epochSeconds;
    return this;
  }

  /**
   * Maps every address of a network to {@code record}, replacing what earlier inserts stored for
   * those addresses.
   *
   * @param cidr {@code a.b.c.d/n} or an IPv6 network such as {@code 2001:db8::/32}; without {@code
   *     /n} a single address. Host bits must be zero.
   * @throws IllegalArgumentException for a malformed network or a value that cannot be encoded
   */
  public MmdbWriter insert(String cidr, Map<String, ?> record) {
    if (record == null) {
      throw new IllegalArgumentException("record is required for " + cidr);
    }
    int slash = cidr.indexOf('/');
    byte[] address = IpAddresses.parse(slash < 0 ? cidr : cidr.substring(0, slash));
    if (address == null) {
      throw new IllegalArgumentException("not an IP network: " + cidr);
    }
    int bits = address.length * 8;
    int prefix;
    if (slash < 0) {
      prefix = bits;
    } else {
      try {
        prefix = Integer.parseInt(cidr.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad prefix length in " + cidr, e);
      }
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException("prefix length out of range in " + cidr);
      }
    }
    for (int i = prefix; i < bits; i++) {
      if (bit(address, i) != 0) {
        throw new IllegalArgumentException("host bits are set in " + cidr);
      }
    }
    if (address.length == 16 && ipVersion == 4) {
      throw new IllegalArgumentException("IPv6 network in an IPv4 database: " + cidr);
    }
    if (address.length == 4 && ipVersion == 6) {
      byte[] mapped = new byte[16];
      System.arraycopy(address, 0, mapped, 12, 4);
      address = mapped;
      prefix += 96;
    }
    insert(address, prefix, dataFor(record));
    return this;
  }

  private Data dataFor(Map<String, ?> record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    encode(record, out);
    byte[] bytes = out.toByteArray();
    return records.computeIfAbsent(ByteBuffer.wrap(bytes), k -> new Data(snapshot(record)));
  }

  private void insert(byte[] address, int prefix, Data data) {
    if (prefix == 0) {
      root.left = data;
      root.right = data;
      return;
    }
    Node node = root;
    for (int depth = 0; depth < prefix - 1; depth++) {
      int bit = bit(address, depth);
      Object child = node.get(bit);
      if (!(child instanceof Node)) {
        // Split a leaf (empty or a broader network's data) so the rest of it keeps its value.
        Node split = new Node(child, child);
        node.set(bit, split);
        child = split;
      }
      node = (Node) child;
    }
    node.set(bit(address, prefix - 1), data);
  }

  private static int bit(byte[] address, int index) {
    return (address[index >>> 3] >>> (7 - (index & 7))) & 1;
  }

  /** Writes the database to {@code path}, replacing the file if it exists. */
  public void write(Path path) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (OutputStream out = Files.newOutputStream(path)) {
      writeTo(out);
    }
  }

  /** Returns the database file's bytes. */
  public byte[] toByteArray() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writeTo(out);
    } catch (IOException e) {
      throw new IllegalStateException(e); // ByteArrayOutputStream does not throw
    }
    return out.toByteArray();
  }

  private void writeTo(OutputStream out) throws IOException {
    root.left = collapse(root.left);
    root.right = collapse(root.right);

    // Number the nodes breadth first (root = 0) and lay out the referenced records.
    List<Node> nodes = new ArrayList<>();
    ArrayDeque<Node> queue = new ArrayDeque<>();
    queue.add(root);
    ByteArrayOutputStream dataSection = new ByteArrayOutputStream();
    Map<ByteBuffer, Integer> stored = new HashMap<>();
    for (Data data : records.values()) {
      data.offset = -1;
    }
    while (!queue.isEmpty()) {
      Node node = queue.poll();
      node.number = nodes.size();
      nodes.add(node);
      for (Object child : new Object[] {node.left, node.right}) {
        if (child instanceof Node childNode) {
          queue.add(childNode);
        } else if (child instanceof Data data && data.offset < 0) {
          data.offset = store(data.record, dataSection, stored);
        }
      }
    }

    long nodeCount = nodes.size();
    long maxRecord = nodeCount + DATA_SECTION_SEPARATOR + dataSection.size();
    if (maxRecord >= (1L << recordSize)) {
      throw new IllegalStateException(
          "database too large for " + recordSize + "-bit records; use a larger record size");
    }

    int nodeBytes = recordSize / 4;
    byte[] tree = new byte[nodes.size() * nodeBytes];
    for (Node node : nodes) {
      long left = recordValue(node.left, nodeCount);
      long right = recordValue(node.right, nodeCount);
      writeNode(tree, node.number * nodeBytes, left, right);
    }
    out.write(tree);
    out.write(new byte[DATA_SECTION_SEPARATOR]);
    dataSection.writeTo(out);
    out.write(METADATA_MARKER);
    ByteArrayOutputStream metadata = new ByteArrayOutputStream();
    encode(metadata(nodeCount), metadata);
    metadata.writeTo(out);
  }

  /** Replaces subtrees whose records all hold the same value by that value. */
  private static Object collapse(Object record) {
    if (!(record instanceof Node node)) {
      return record;
    }
    node.left = collapse(node.left);
    node.right = collapse(node.right);
    if (!(node.left instanceof Node) && node.left == node.right) {
      return node.left;
    }
    return node;
  }

  private static long recordValue(Object record, long nodeCount) {
    if (record == null) {
      return nodeCount; // no data for these addresses
    }
    if (record instanceof Node node) {
      return node.number;
    }
    return nodeCount + DATA_SECTION_SEPARATOR + ((Data) record).offset;
  }

  private void writeNode(byte[] tree, int at, long left, long right) {
    switch (recordSize) {
      case 24 -> {
        putBigEndian(tree, at, left, 3);
        putBigEndian(tree, at + 3, right, 3);
      }
      case 28 -> {
        putBigEndian(tree, at, left, 3);
        tree[at + 3] = (byte) (((left >>> 24) & 0x0f) << 4 | ((right >>> 24) & 0x0f));
        putBigEndian(tree, at + 4, right, 3);
      }
      case 32 -> {
        putBigEndian(tree, at, left, 4);
        putBigEndian(tree, at + 4, right, 4);
      }
      default -> throw new IllegalStateException("record size " + recordSize);
    }
  }

  private static void putBigEndian(byte[] target, int at, long value, int bytes) {
    for (int i = bytes - 1; i >= 0; i--) {
      target[at + i] = (byte) value;
      value >>>= 8;
    }
  }

  private Map<String, Object> metadata(long nodeCount) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("binary_format_major_version", uint16(2));
    metadata.put("binary_format_minor_version", uint16(0));
    metadata.put("build_epoch", uint64(buildEpoch));
    metadata.put("database_type", databaseType);
    metadata.put("description", description);
    metadata.put("ip_version", uint16(ipVersion));
    metadata.put("languages", languages);
    metadata.put("node_count", uint32(nodeCount));
    metadata.put("record_size", uint16(recordSize));
    return metadata;
  }

  // ---------------------------------------------------------------------------------------------
  // Data section encoding

  /** A value with an explicit MaxMind DB type, for fields whose reader expects that type. */
  public static final class TypedValue {
    private final int type;
    private final long value;

    private TypedValue(int type, long value) {
      this.type = type;
      this.value = value;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof TypedValue that && type == that.type && value == that.value;
    }

    @Override
    public int hashCode() {
      return 31 * type + Long.hashCode(value);
    }

    @Override
    public String toString() {
      return "TypedValue[type=" + type + ", value=" + value + "]";
    }
  }

  /** An unsigned 16-bit integer (0..65535). */
  public static TypedValue uint16(int value) {
    if (value < 0 || value > 0xffff) {
      throw new IllegalArgumentException("uint16 out of range: " + value);
    }
    return new TypedValue(UINT16, value);
  }

  /** An unsigned 32-bit integer (0..2<sup>32</sup>-1). */
  public static TypedValue uint32(long value) {
    if (value < 0 || value > 0xffff_ffffL) {
      throw new IllegalArgumentException("uint32 out of range: " + value);
    }
    return new TypedValue(UINT32, value);
  }

  /** An unsigned 64-bit integer (0..2<sup>63</sup>-1 here; use BigInteger above). */
  public static TypedValue uint64(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("uint64 out of range: " + value);
    }
    return new TypedValue(UINT64, value);
  }

  /** A signed 32-bit integer. */
  public static TypedValue int32(int value) {
    return new TypedValue(INT32, value);
  }

  /**
   * Stores {@code value} in the data section once and returns its offset. Like MaxMind's own
   * databases, the maps, arrays and strings inside it (map keys included) are stored once each and
   * referenced by pointers, so readers decode a shared part (a country, a names map) once and then
   * find it in their cache; without pointers MaxMind's reader decodes every lookup's record in full.
   */
  private static int store(
      Object value, ByteArrayOutputStream dataSection, Map<ByteBuffer, Integer> stored) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> sorted = sortedEntries(map);
      writeControl(out, MAP, sorted.size());
      for (Map.Entry<String, Object> entry : sorted.entrySet()) {
        child(entry.getKey(), out, dataSection, stored);
        child(entry.getValue(), out, dataSection, stored);
      }
    } else if (value instanceof List<?> list) {
      writeControl(out, ARRAY, list.size());
      for (Object element : list) {
        if (element == null) {
          throw new IllegalArgumentException("null array element");
        }
        child(element, out, dataSection, stored);
      }
    } else {
      encode(value, out);
    }
    byte[] bytes = out.toByteArray();
    Integer known = stored.get(ByteBuffer.wrap(bytes));
    if (known != null) {
      return known;
    }
    int offset = dataSection.size();
    dataSection.writeBytes(bytes);
    stored.put(ByteBuffer.wrap(bytes), offset);
    return offset;
  }

  /** A value inside a stored map or array: a pointer to shared data, or short scalars inline. */
  private static void child(
      Object value,
      ByteArrayOutputStream out,
      ByteArrayOutputStream dataSection,
      Map<ByteBuffer, Integer> stored) {
    if (value instanceof Map<?, ?> || value instanceof List<?> || value instanceof String) {
      writePointer(out, store(value, dataSection, stored));
    } else {
      encode(value, out);
    }
  }

  /** A pointer (type 1) to a data-section offset, in the shortest of the spec's four sizes. */
  private static void writePointer(ByteArrayOutputStream out, int offset) {
    if (offset < 2048) {
      out.write(0x20 | (offset >>> 8));
      writeBigEndian(out, offset, 1);
    } else if (offset < 2048 + (1 << 19)) {
      int v = offset - 2048;
      out.write(0x20 | (1 << 3) | (v >>> 16));
      writeBigEndian(out, v, 2);
    } else if (offset < 526_336 + (1 << 27)) {
      int v = offset - 526_336;
      out.write(0x20 | (2 << 3) | (v >>> 24));
      writeBigEndian(out, v, 3);
    } else {
      out.write(0x20 | (3 << 3));
      writeBigEndian(out, offset & 0xffff_ffffL, 4);
    }
  }

  /**
   * A deep copy of an (already validated) value, so changing the caller's map after insert changes
   * nothing here.
   */
  private static Object snapshot(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> c = new TreeMap<>();
      m.forEach((k, x) -> c.put(k, snapshot(x)));
      return c;
    }
    if (v instanceof List<?> l) {
      List<Object> c = new ArrayList<>(l.size());
      l.forEach(x -> c.add(snapshot(x)));
      return c;
    }
    if (v instanceof byte[] b) {
      return b.clone();
    }
    return v;
  }

  private static Map<String, Object> sortedEntries(Map<?, ?> map) {
    Map<String, Object> sorted = new TreeMap<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!(entry.getKey() instanceof String key)) {
        throw new IllegalArgumentException("map keys must be strings: " + entry.getKey());
      }
      if (entry.getValue() == null) {
        throw new IllegalArgumentException("null value for key '" + key + "'");
      }
      sorted.put(key, entry.getValue());
    }
    return sorted;
  }

  private static void encode(Object value, ByteArrayOutputStream out) {
    if (value instanceof String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      writeControl(out, UTF8_STRING, utf8.length);
      out.writeBytes(utf8);
    } else if (value instanceof Map<?, ?> map) {
      Map<String, Object> sorted = sortedEntries(map);
      writeControl(out, MAP, sorted.size());
      for (Map.Entry<String, Object> entry : sorted.entrySet()) {
        encode(entry.getKey(), out);
        encode(entry.getValue(), out);
      }
    } else if (value instanceof List<?> list) {
      writeControl(out, ARRAY, list.size());
      for (Object element : list) {
        if (element == null) {
          throw new IllegalArgumentException("null array element");
        }
        encode(element, out);
      }
    } else if (value instanceof Boolean b) {
      writeControl(out, BOOLEAN, b ? 1 : 0);
    } else if (value instanceof Double d) {
      writeControl(out, DOUBLE, 8);
      writeBigEndian(out, Double.doubleToLongBits(d), 8);
    } else if (value instanceof Float f) {
      writeControl(out, FLOAT, 4);
      writeBigEndian(out, Float.floatToIntBits(f), 4);
    } else if (value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte) {
      long v = ((Number) value).longValue();
      if (v < 0) {
        if (v < Integer.MIN_VALUE) {
          throw new IllegalArgumentException("negative value below int32 range: " + v);
        }
        writeInteger(out, INT32, v);
      } else {
        writeInteger(out, v <= 0xffff_ffffL ? UINT32 : UINT64, v);
      }
    } else if (value instanceof TypedValue typed) {
      writeInteger(out, typed.type, typed.value);
    } else if (value instanceof BigInteger big) {
      if (big.signum() < 0 || big.compareTo(TWO_POW_128) >= 0) {
        throw new IllegalArgumentException("BigInteger out of uint128 range: " + big);
      }
      byte[] magnitude = big.toByteArray();
      int skip = 0;
      while (skip < magnitude.length && magnitude[skip] == 0) {
        skip++; // drop the sign byte and leading zeros
      }
      writeControl(out, big.compareTo(TWO_POW_64) < 0 ? UINT64 : UINT128, magnitude.length - skip);
      out.write(magnitude, skip, magnitude.length - skip);
    } else if (value instanceof byte[] bytes) {
      writeControl(out, BYTES, bytes.length);
      out.writeBytes(bytes);
    } else {
      throw new IllegalArgumentException(
          "cannot encode "
              + (value == null ? "null" : value.getClass().getName() + " value " + value));
    }
  }

  /** Writes an integer with the fewest bytes (int32 negatives always take four). */
  private static void writeInteger(ByteArrayOutputStream out, int type, long value) {
    int size;
    if (type == INT32 && value < 0) {
      size = 4;
    } else {
      size = (64 - Long.numberOfLeadingZeros(value) + 7) / 8;
    }
    writeControl(out, type, size);
    writeBigEndian(out, value, size);
  }

  private static void writeBigEndian(ByteArrayOutputStream out, long value, int bytes) {
    for (int i = bytes - 1; i >= 0; i--) {
      out.write((int) (value >>> (8 * i)));
    }
  }

  /** Control byte, extended type byte for types above 7, then the size extension bytes. */
  private static void writeControl(ByteArrayOutputStream out, int type, int size) {
    if (size < 0 || size > MAX_PAYLOAD_SIZE) {
      throw new IllegalArgumentException("value too large for a MaxMind DB field: " + size);
    }
    int control = type <= 7 ? type << 5 : 0;
    int extraBytes;
    int extra;
    if (size < 29) {
      control |= size;
      extraBytes = 0;
      extra = 0;
    } else if (size < 29 + 256) {
      control |= 29;
      extraBytes = 1;
      extra = size - 29;
    } else if (size < 285 + 65_536) {
      control |= 30;
      extraBytes = 2;
      extra = size - 285;
    } else {
      control |= 31;
      extraBytes = 3;
      extra = size - 65_821;
    }
    out.write(control);
    if (type > 7) {
      out.write(type - 7);
    }
    writeBigEndian(out, extra, extraBytes);
  }

  /** A search tree node: each record is null (no data), a {@link Node} or a {@link Data}. */
  private static final class Node {
    Object left;
    Object right;
    int number;

    Node(Object left, Object right) {
      this.left = left;
      this.right = right;
    }

    Object get(int bit) {
      return bit == 0 ? left : right;
    }

    void set(int bit, Object record) {
      if (bit == 0) {
        left = record;
      } else {
        right = record;
      }
    }
  }

  /** One record (a copy of the inserted map), stored once and shared by every network that maps to it. */
  private static final class Data {
    final Object record;
    int offset = -1;

    Data(Object record) {
      this.record = record;
    }
  }
}
