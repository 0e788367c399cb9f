package dw.transforms.common;

import dw.transforms.privacy.ClientIpPolicy;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One field of a record type's field table: its column name (as the lake and the raw tables name
 * it), its type, whether it may be null, a description, how its value is read from a record, what a
 * sink may store of it ({@link #stored}, through the client-IP policy for address fields) and, for a
 * field the record's coder carries, how the coder writes and reads it. The table of a record lists
 * its fields once, in the order of its stored tables; the Avro schema, the lake records, the raw
 * Snowflake table and the coder are derived from it ({@code SecurityPing.FIELDS}).
 *
 * <p>The coder is plain generated code (no call per field through the table): the record's source
 * holds {@code writeFields}/{@code readFields} between {@code BEGIN GENERATED} and {@code END
 * GENERATED}, which a test compares with what {@link #coded()} of the table gives (and rewrites
 * with {@code -Ddw.updateGolden=true}). A coded field's bytes are a savepoint contract (the coder's
 * golden test pins them). A field derived from others (a day of a time, an edition of a flag) is
 * not coded.
 *
 * @param <T> the record
 */
public final class RecordField<T> {
  /** The column types a record field can have. */
  public enum Type {
    /** A {@code long} of epoch milliseconds. */
    TIMESTAMP_MILLIS,
    /** A {@code long} of epoch microseconds. */
    TIMESTAMP_MICROS,
    /** An {@code int} of days since 1970-01-01. */
    DATE,
    STRING,
    INT,
    LONG,
    BOOLEAN,
    /** A {@code List<String>}. */
    STRING_LIST
  }

  /**
   * How a record's coder writes one Java field: the {@link BlockCoder.Writer} and {@link
   * BlockCoder.Reader} methods of that encoding.
   */
  public enum Codec {
    VAR_LONG("writeVarLong", "readVarLong"),
    VAR_INT("writeVarInt", "readVarInt"),
    BOOLEAN("writeBoolean", "readBoolean"),
    NULLABLE_BOOLEAN("writeNullableBoolean", "readNullableBoolean"),
    NULLABLE_INT("writeNullableInt", "readNullableInt"),
    NULLABLE_LONG("writeNullableLong", "readNullableLong"),
    /** A string of many distinct values. */
    STRING("writeString", "readString"),
    /** A string of few distinct values (a per-block dictionary). */
    COMMON_STRING("writeCommonString", "readCommonString"),
    /** Hex text as its bytes. */
    HEX("writeHex", "readHex");

    private final String write;
    private final String read;

    Codec(String write, String read) {
      this.write = write;
      this.read = read;
    }

    /** The {@link BlockCoder.Writer} method. */
    public String writeMethod() {
      return write;
    }

    /** The {@link BlockCoder.Reader} method. */
    public String readMethod() {
      return read;
    }
  }

  /** One Java field of the record as its coder carries it. */
  public record Coded(Codec codec, String javaField) {}

  private final String name;
  private final Type type;
  private final boolean nullable;
  private final String doc;
  private final Function<? super T, ?> value;
  private final BiFunction<Object, ClientIpPolicy, Object> policy;
  private final List<Coded> coded;

  private RecordField(
      String name,
      Type type,
      boolean nullable,
      String doc,
      Function<? super T, ?> value,
      BiFunction<Object, ClientIpPolicy, Object> policy,
      List<Coded> coded) {
    this.name = name;
    this.type = type;
    this.nullable = nullable;
    this.doc = doc;
    this.value = value;
    this.policy = policy;
    this.coded = coded;
  }

  /** A field that is never null. */
  public static <T> RecordField<T> required(String name, Type type, Function<? super T, ?> value) {
    return new RecordField<>(name, type, false, null, value, null, List.of());
  }

  /** A field that may be null. */
  public static <T> RecordField<T> optional(String name, Type type, Function<? super T, ?> value) {
    return new RecordField<>(name, type, true, null, value, null, List.of());
  }

  /** This field with a description. */
  public RecordField<T> doc(String text) {
    return new RecordField<>(name, type, nullable, text, value, policy, coded);
  }

  /**
   * This field with what a sink may store of its value under a client-IP policy (the field holds a
   * client address or something of it): {@link #stored} returns {@code policy(value, ips)}.
   */
  public RecordField<T> throughPolicy(BiFunction<Object, ClientIpPolicy, Object> storedUnder) {
    return new RecordField<>(name, type, nullable, doc, value, storedUnder, coded);
  }

  /**
   * This field as the record's coder carries it: its Java field {@code javaField} with {@code
   * codec}; called again for a table field the coder writes as several Java fields, in their order.
   */
  public RecordField<T> coded(Codec codec, String javaField) {
    List<Coded> more = new java.util.ArrayList<>(coded);
    more.add(new Coded(codec, javaField));
    return new RecordField<>(name, type, nullable, doc, value, policy, List.copyOf(more));
  }

  public String name() {
    return name;
  }

  public Type type() {
    return type;
  }

  public boolean nullable() {
    return nullable;
  }

  /** The description, or null. */
  public String doc() {
    return doc;
  }

  /** The record's value of this field (boxed). */
  public Object value(T record) {
    return value.apply(record);
  }

  /** What a sink may store of this field's value under {@code ips}. */
  public Object stored(T record, ClientIpPolicy ips) {
    Object v = value.apply(record);
    return policy == null ? v : policy.apply(v, ips);
  }

  /** The Java fields the record's coder writes for this table field, in order (none for a derived one). */
  public List<Coded> coded() {
    return coded;
  }

  @Override
  public String toString() {
    return name + " " + type + (nullable ? "" : " NOT NULL");
  }
}
